package why

import "github.com/tegaki/tegaki/wasm/app/sketch"

// HoldTicks is how long a press must last, in ticks at ebiten's 60 a
// second, to be a long press: half a second, as phones take one.
const HoldTicks = 30

// HoldSlop is how far, in CSS pixels, a long press may wander before it is
// a drag instead.
const HoldSlop = 10

// A Hold tells a long press from a tap: a press that stays put for
// HoldTicks. It follows one pointer at a time, the first pressed. A plain
// tap is not its business: what a tap on a bar means belongs to whoever
// handles taps.
type Hold struct {
	id         sketch.PointerID
	x, y       float64 // where it was pressed
	start      int     // the tick it was pressed at
	down, done bool    // a press is followed; it has fired
}

// Press starts following pointer id, pressed at (x, y) at tick, unless
// another pointer is followed.
func (h *Hold) Press(id sketch.PointerID, x, y float64, tick int) {
	if h.down {
		return
	}
	*h = Hold{id: id, x: x, y: y, start: tick, down: true}
}

// Move cancels the hold if pointer id has moved more than slop (device
// pixels) from where it was pressed.
func (h *Hold) Move(id sketch.PointerID, x, y, slop float64) {
	if h.down && id == h.id && (x-h.x)*(x-h.x)+(y-h.y)*(y-h.y) > slop*slop {
		h.done = true
	}
}

// Release stops following pointer id.
func (h *Hold) Release(id sketch.PointerID) {
	if id == h.id {
		h.down = false
	}
}

// Due reports, once per press, whether the press has become a long press
// by tick, and where it was pressed.
func (h *Hold) Due(tick int) (x, y float64, ok bool) {
	if !h.down || h.done || tick-h.start < HoldTicks {
		return 0, 0, false
	}
	h.done = true
	return h.x, h.y, true
}

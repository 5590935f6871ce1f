//go:build js && wasm

package main

import (
	"errors"
	"image"
	"image/color"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// inputSide is the pixel side at which strokes are rasterised for the
// network: 280, ten times MNIST's 28, like a digit drawn in Paint.
const inputSide = 280

// footerHeight is the height of the page's footer in CSS pixels (style.css).
const footerHeight = 24

// game is the ebiten Game: Update handles input and prediction, Draw only
// renders.
type game struct {
	net    *nn.Net
	x      *nn.Tensor
	sketch sketch.Sketch
	sched  sketch.Scheduler
	result sketch.Result
	input  *digit.Input
	ms     float64

	w, h   int // screen size in device pixels
	scale  float64
	layout sketch.Layout
	tick   int
	busy   bool // the shown result may still change (aria-busy)

	// drawn is what the screen shows: the screen is not cleared between
	// frames, and Draw paints only what changed, so that a frame while
	// drawing costs a few new stroke segments, not the whole page.
	drawn struct {
		w, h    int
		painted sketch.Mark // the ink on the canvas
		prompt  bool        // "draw a digit" is on the canvas
		result  sketch.Result
	}

	// The drawing area, the result and the bars are painted into layers
	// (see draw.go) and copied onto the screen.
	canvas, panel, bars layer

	preview      *ebiten.Image
	touches      []ebiten.TouchID
	vertices     []ebiten.Vertex
	indices      []uint16
	white        *ebiten.Image
	previewBytes []byte
}

func newGame(net *nn.Net) *game {
	white := ebiten.NewImage(3, 3)
	white.Fill(color.White)
	return &game{
		net:          net,
		x:            nn.NewTensor(1, 1, digit.Size, digit.Size),
		result:       sketch.Blank(),
		preview:      ebiten.NewImage(digit.Size, digit.Size),
		white:        white.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image),
		previewBytes: make([]byte, 4*digit.Size*digit.Size),
		busy:         true, // as index.html starts
	}
}

// Layout makes the screen as many pixels as the device has, so the canvas
// is crisp at any device pixel ratio.
func (g *game) Layout(outsideWidth, outsideHeight int) (int, int) {
	g.scale = ebiten.Monitor().DeviceScaleFactor()
	g.w, g.h = int(float64(outsideWidth)*g.scale), int(float64(outsideHeight)*g.scale)
	return g.w, g.h
}

func (g *game) Update() error {
	g.tick++
	// The page's footer covers the bottom 24 CSS pixels.
	g.layout = sketch.NewLayout(float64(g.w), float64(g.h)-footerHeight*g.scale, g.scale)
	g.handleKeys()
	g.handleMouse()
	g.handleTouches()
	if g.sched.Due(g.tick, g.sketch.Version(), g.sketch.Drawing()) {
		g.predict()
	}
	if busy := !g.sched.Current(g.sketch.Version(), g.sketch.Drawing()); busy != g.busy {
		g.busy = busy
		publishBusy(busy)
	}
	return nil
}

func (g *game) handleKeys() {
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) || inpututil.IsKeyJustPressed(ebiten.KeyDelete) || inpututil.IsKeyJustPressed(ebiten.KeyBackspace) {
		g.sketch.Clear()
	}
	ctrl := ebiten.IsKeyPressed(ebiten.KeyControl) || ebiten.IsKeyPressed(ebiten.KeyMeta)
	if ctrl && inpututil.IsKeyJustPressed(ebiten.KeyZ) {
		g.sketch.Undo()
	}
}

// press handles a new pointer at (x, y): a button, or the start of a stroke.
func (g *game) press(id sketch.PointerID, x, y float64) {
	switch {
	case g.layout.Clear.Contains(x, y):
		g.sketch.Clear()
	case g.layout.Undo.Contains(x, y):
		g.sketch.Undo()
	case g.layout.Canvas.Contains(x, y):
		cx, cy := g.layout.ToCanvas(x, y)
		g.sketch.Press(id, digit.Point{X: cx, Y: cy})
	}
}

func (g *game) move(id sketch.PointerID, x, y float64) {
	cx, cy := g.layout.ToCanvas(x, y)
	g.sketch.Move(id, digit.Point{X: cx, Y: cy})
}

func (g *game) handleMouse() {
	x, y := ebiten.CursorPosition()
	fx, fy := float64(x), float64(y)
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		g.press(sketch.Mouse, fx, fy)
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
		g.move(sketch.Mouse, fx, fy)
	}
	if inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) {
		g.move(sketch.Mouse, fx, fy)
		g.sketch.Release(sketch.Mouse)
	}
}

func (g *game) handleTouches() {
	g.touches = inpututil.AppendJustPressedTouchIDs(g.touches[:0])
	for _, id := range g.touches {
		x, y := ebiten.TouchPosition(id)
		g.press(sketch.PointerID(id), float64(x), float64(y))
	}
	g.touches = ebiten.AppendTouchIDs(g.touches[:0])
	for _, id := range g.touches {
		x, y := ebiten.TouchPosition(id)
		g.move(sketch.PointerID(id), float64(x), float64(y))
	}
	g.touches = inpututil.AppendJustReleasedTouchIDs(g.touches[:0])
	for _, id := range g.touches {
		// A lifted finger's last position is that of the previous tick.
		x, y := inpututil.TouchPositionInPreviousTick(id)
		g.move(sketch.PointerID(id), float64(x), float64(y))
		g.sketch.Release(sketch.PointerID(id))
	}
}

// predict classifies the drawing and publishes the result.
func (g *game) predict() {
	if g.sketch.Empty() {
		g.result, g.input = sketch.Blank(), nil
		publishResult(g.result, g.ms)
		return
	}
	start := time.Now()
	strokes, width := g.sketch.Scaled(inputSide)
	in, err := digit.FromStrokes(strokes, width)
	if err != nil {
		if !errors.Is(err, digit.ErrNoInk) {
			showError(err)
		}
		g.result, g.input = sketch.Blank(), nil
		publishResult(g.result, g.ms)
		return
	}
	copy(g.x.Data, in[:])
	probs := g.net.Predict(g.x).Data
	g.ms = float64(time.Since(start).Microseconds()) / 1000
	g.result, g.input = sketch.NewResult(probs), in
	g.updatePreview()
	publishResult(g.result, g.ms)
}

// updatePreview copies the network's input into the preview image: ink
// white on black, as MNIST's digits are.
func (g *game) updatePreview() {
	for i, v := range g.input {
		b := uint8(min(max(v, 0), 1)*255 + 0.5)
		g.previewBytes[4*i], g.previewBytes[4*i+1], g.previewBytes[4*i+2], g.previewBytes[4*i+3] = b, b, b, 0xff
	}
	g.preview.WritePixels(g.previewBytes)
}

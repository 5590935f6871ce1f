//go:build js && wasm

package main

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/wasm/app/msg"
	"github.com/tegaki/tegaki/wasm/app/session"
	"github.com/tegaki/tegaki/wasm/app/sketch"
	"github.com/tegaki/tegaki/wasm/app/why"
)

// game is the ebiten Game: Update maps input to the session (package
// session holds the app's state and logic), Draw only renders.
type game struct {
	s   *session.Session
	why whyGlue

	w, h   int // screen size in device pixels
	scale  float64
	layout sketch.Layout
	tick   int  // Update's count, for Draw's first frames
	hint   bool // the first visit's hint is shown: nothing drawn yet

	// The opened picture as an ebiten image, made from the session's.
	picture    *ebiten.Image // nil when showing a drawing
	pictureSrc *image.NRGBA  // the session's picture it was made from
	previewOf  *digit.Input  // the input the preview shows
	openRect   sketch.Rect   // where #open was last placed
	areaRect   sketch.Rect   // where #drawing-area was last placed

	// drawn is what the screen shows: the screen is not cleared between
	// frames, and Draw paints only what changed, so that a frame while
	// drawing costs a few new stroke segments, not the whole page.
	drawn struct {
		w, h    int
		painted sketch.Mark // the ink on the canvas
		prompt  bool        // "draw a digit" is on the canvas
		result  sketch.Result
		picture *ebiten.Image
		notice  msg.Key
		lang    msg.Lang
		hint    bool
		why     int // the why view's version
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

func newGame(s *session.Session, v *why.View) *game {
	white := ebiten.NewImage(3, 3)
	white.Fill(color.White)
	return &game{
		s:            s,
		hint:         firstVisit(),
		why:          newWhyGlue(v),
		preview:      ebiten.NewImage(digit.Size, digit.Size),
		white:        white.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image),
		previewBytes: make([]byte, 4*digit.Size*digit.Size),
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
	// The page's header and footer cover the canvas's top and bottom.
	g.layout = sketch.NewPageLayout(float64(g.w), float64(g.h), g.scale)
	if g.layout.Open != g.openRect {
		g.openRect = g.layout.Open
		placeOpen(g.openRect, g.scale)
	}
	if g.layout.Canvas != g.areaRect {
		g.areaRect = g.layout.Canvas
		placeDrawingArea(g.areaRect, g.scale)
	}
	g.s.Update(func() {
		g.handleKeys()
		g.handleMouse()
		g.handleTouches()
	})
	g.syncPicture()
	if g.hint && (!g.s.Sketch().Empty() || g.picture != nil) {
		g.hint = false
		rememberDrawn()
	}
	g.updateWhy()
	if in := g.s.Input(); in != nil && in != g.previewOf {
		g.previewOf = in
		g.updatePreview()
	}
	return nil
}

// syncPicture keeps the ebiten image of the session's opened picture.
func (g *game) syncPicture() {
	src := g.s.Picture()
	if src == g.pictureSrc {
		return
	}
	if g.picture != nil {
		g.picture.Deallocate()
		g.picture = nil
	}
	if src != nil {
		g.picture = pictureImage(src)
	}
	g.pictureSrc = src
}

// pictureImage makes an ebiten image of a picture, premultiplying its
// colours by alpha as ebiten wants them.
func pictureImage(p *image.NRGBA) *ebiten.Image {
	b := p.Bounds()
	pix := make([]byte, len(p.Pix))
	for i := 0; i < len(pix); i += 4 {
		a := uint16(p.Pix[i+3])
		pix[i] = uint8((uint16(p.Pix[i])*a + 127) / 255)
		pix[i+1] = uint8((uint16(p.Pix[i+1])*a + 127) / 255)
		pix[i+2] = uint8((uint16(p.Pix[i+2])*a + 127) / 255)
		pix[i+3] = uint8(a)
	}
	img := ebiten.NewImage(b.Dx(), b.Dy())
	img.WritePixels(pix)
	return img
}

func (g *game) handleKeys() {
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) || inpututil.IsKeyJustPressed(ebiten.KeyDelete) || inpututil.IsKeyJustPressed(ebiten.KeyBackspace) {
		g.s.Clear()
	}
	ctrl := ebiten.IsKeyPressed(ebiten.KeyControl) || ebiten.IsKeyPressed(ebiten.KeyMeta)
	if ctrl && inpututil.IsKeyJustPressed(ebiten.KeyZ) {
		g.s.Undo()
	}
}

// press handles a new pointer at (x, y): a button, or the start of a stroke.
func (g *game) press(id sketch.PointerID, x, y float64) {
	switch {
	case g.layout.Clear.Contains(x, y):
		g.s.Clear()
	case g.layout.Undo.Contains(x, y):
		g.s.Undo()
	case g.layout.Preview.Contains(x, y):
		g.why.view.Toggle()
	case g.layout.Bars.Contains(x, y):
		g.why.hold.Press(id, x, y, g.tick)
	case g.layout.Canvas.Contains(x, y):
		cx, cy := g.layout.ToCanvas(x, y)
		g.s.Press(id, digit.Point{X: cx, Y: cy})
	}
}

func (g *game) move(id sketch.PointerID, x, y float64) {
	cx, cy := g.layout.ToCanvas(x, y)
	g.s.Move(id, digit.Point{X: cx, Y: cy})
	g.why.hold.Move(id, x, y, why.HoldSlop*g.scale)
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
		g.release(sketch.Mouse)
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
		g.release(sketch.PointerID(id))
	}
}

// updatePreview copies the network's input into the preview image: ink
// white on black, as MNIST's digits are.
func (g *game) updatePreview() {
	for i, v := range g.previewOf {
		b := uint8(min(max(v, 0), 1)*255 + 0.5)
		g.previewBytes[4*i], g.previewBytes[4*i+1], g.previewBytes[4*i+2], g.previewBytes[4*i+3] = b, b, b, 0xff
	}
	g.preview.WritePixels(g.previewBytes)
}

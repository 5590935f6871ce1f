//go:build js && wasm

package main

import (
	"errors"
	"image"
	"image/color"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/pretrained"
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
	predictor *pretrained.Predictor
	sketch    sketch.Sketch
	sched     sketch.Scheduler
	result    sketch.Result
	input     *digit.Input
	ms        float64

	w, h   int // screen size in device pixels
	scale  float64
	layout sketch.Layout
	tick   int
	busy   bool // the shown result may still change (aria-busy)

	// An opened picture replaces the drawing until the next stroke or
	// Clear (api.go and tegaki.js open it).
	inbox    *inbox
	cmds     []command
	picture  *ebiten.Image // nil when showing a drawing
	notice   string        // why an opened picture shows no digit
	opening  bool          // an image is being decoded
	openRect sketch.Rect   // where #open was last placed

	// drawn is what the screen shows: the screen is not cleared between
	// frames, and Draw paints only what changed, so that a frame while
	// drawing costs a few new stroke segments, not the whole page.
	drawn struct {
		w, h    int
		painted sketch.Mark // the ink on the canvas
		prompt  bool        // "draw a digit" is on the canvas
		result  sketch.Result
		picture *ebiten.Image
		notice  string
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

func newGame(p *pretrained.Predictor, in *inbox) *game {
	white := ebiten.NewImage(3, 3)
	white.Fill(color.White)
	return &game{
		predictor:    p,
		inbox:        in,
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
	if g.layout.Open != g.openRect {
		g.openRect = g.layout.Open
		placeOpen(g.openRect, g.scale)
	}
	g.handleCommands()
	g.handleKeys()
	g.handleMouse()
	g.handleTouches()
	if g.sched.Due(g.tick, g.sketch.Version(), g.sketch.Drawing()) {
		g.predict()
	}
	if busy := g.opening || !g.sched.Current(g.sketch.Version(), g.sketch.Drawing()); busy != g.busy {
		g.busy = busy
		publishBusy(busy)
	}
	return nil
}

// handleCommands carries out what the page asked for since the last tick.
func (g *game) handleCommands() {
	g.cmds = g.inbox.take(g.cmds[:0])
	for i, c := range g.cmds {
		switch c.kind {
		case cmdClear:
			g.clear()
		case cmdOpening:
			g.opening = true
		case cmdOpen:
			g.showPicture(c)
		}
		g.cmds[i] = command{} // let the picture go
	}
}

// clear removes the drawing, or the opened picture.
func (g *game) clear() {
	if g.dropPicture() {
		g.result, g.input = sketch.Blank(), nil
		publishResult(g.result, g.ms)
	}
	g.sketch.Clear()
}

// undo removes the last stroke, or the opened picture.
func (g *game) undo() {
	if g.picture != nil || g.notice != "" {
		g.clear()
		return
	}
	g.sketch.Undo()
}

// dropPicture forgets the opened picture, if any, and reports whether there
// was one (or a notice about one).
func (g *game) dropPicture() bool {
	if g.picture == nil && g.notice == "" {
		return false
	}
	if g.picture != nil {
		g.picture.Deallocate()
	}
	g.picture, g.notice = nil, ""
	return true
}

// showPicture replaces the drawing with an opened picture and its result.
func (g *game) showPicture(c command) {
	g.opening = false
	g.dropPicture()
	g.sketch.Clear()
	// The drawing's change is not to be predicted: the picture's result
	// stands until the next stroke.
	g.sched.Due(g.tick, g.sketch.Version(), false)
	if c.picture != nil {
		g.picture = pictureImage(c.picture)
	}
	g.notice = c.notice
	g.result, g.input, g.ms = c.result, c.input, c.ms
	if g.input != nil {
		g.updatePreview()
		publishResult(g.result, g.ms)
	} else {
		publishNotice(c.message)
	}
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
		g.clear()
	}
	ctrl := ebiten.IsKeyPressed(ebiten.KeyControl) || ebiten.IsKeyPressed(ebiten.KeyMeta)
	if ctrl && inpututil.IsKeyJustPressed(ebiten.KeyZ) {
		g.undo()
	}
}

// press handles a new pointer at (x, y): a button, or the start of a stroke.
func (g *game) press(id sketch.PointerID, x, y float64) {
	switch {
	case g.layout.Clear.Contains(x, y):
		g.clear()
	case g.layout.Undo.Contains(x, y):
		g.undo()
	case g.layout.Canvas.Contains(x, y):
		g.dropPicture() // drawing on a picture starts a fresh drawing
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
	g.ms = float64(time.Since(start).Microseconds()) / 1000
	g.result, g.input = sketch.NewResult(g.predictor.Predict(in)), in
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

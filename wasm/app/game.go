//go:build js && wasm

package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// inputSide is the pixel side at which strokes are rasterised for the
// network: 280, ten times MNIST's 28, like a digit drawn in Paint.
const inputSide = 280

// footerHeight is the height of the page's footer in CSS pixels (style.css).
const footerHeight = 24

var (
	paper     = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink       = color.RGBA{0x1a, 0x1a, 0x2e, 0xff}
	backdrop  = color.RGBA{0xee, 0xee, 0xf2, 0xff}
	accent    = color.RGBA{0x2e, 0x6b, 0xd8, 0xff}
	muted     = color.RGBA{0x88, 0x88, 0x99, 0xff}
	unsure    = color.RGBA{0xd8, 0x7b, 0x2e, 0xff}
	barTrack  = color.RGBA{0xdd, 0xdd, 0xe4, 0xff}
	fontFaces = mustFont()
)

func mustFont() *text.GoTextFaceSource {
	s, err := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	if err != nil {
		panic(err) // the font is compiled in; failure is a build defect
	}
	return s
}

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

	// drawn is the state of the last frame painted; Draw skips frames
	// that would be the same.
	drawn struct {
		version, w, h int
		result        sketch.Result
	}

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

func (g *game) Draw(screen *ebiten.Image) {
	if g.drawn.version == g.sketch.Version() && g.drawn.w == g.w && g.drawn.h == g.h && g.drawn.result == g.result && g.tick > 2 {
		return
	}
	g.drawn.version, g.drawn.w, g.drawn.h, g.drawn.result = g.sketch.Version(), g.w, g.h, g.result
	l := g.layout
	screen.Fill(backdrop)
	fillRect(screen, l.Canvas, paper)
	g.drawStrokes(screen)
	if g.sketch.Empty() {
		g.drawText(screen, "draw a digit", l.Canvas, l.Canvas.W/12, muted)
	}
	g.drawButton(screen, l.Clear, "Clear")
	g.drawButton(screen, l.Undo, "Undo")
	g.drawResult(screen)
	g.drawBars(screen)
}

func fillRect(dst *ebiten.Image, r sketch.Rect, c color.Color) {
	vector.DrawFilledRect(dst, float32(r.X), float32(r.Y), float32(r.W), float32(r.H), c, false)
}

// drawStrokes draws each stroke as one path with round caps and joins, so
// fast strokes stay continuous.
func (g *game) drawStrokes(screen *ebiten.Image) {
	c := g.layout.Canvas
	width := float32(sketch.PenWidth * c.W)
	for _, st := range g.sketch.Strokes() {
		if len(st) == 1 {
			vector.DrawFilledCircle(screen, float32(c.X+st[0].X*c.W), float32(c.Y+st[0].Y*c.H), width/2, ink, true)
			continue
		}
		var p vector.Path
		for i, pt := range st {
			x, y := float32(c.X+pt.X*c.W), float32(c.Y+pt.Y*c.H)
			if i == 0 {
				p.MoveTo(x, y)
			} else {
				p.LineTo(x, y)
			}
		}
		g.vertices, g.indices = p.AppendVerticesAndIndicesForStroke(g.vertices[:0], g.indices[:0], &vector.StrokeOptions{
			Width: width, LineCap: vector.LineCapRound, LineJoin: vector.LineJoinRound,
		})
		for i := range g.vertices {
			g.vertices[i].SrcX, g.vertices[i].SrcY = 1, 1
			g.vertices[i].ColorR = float32(ink.R) / 0xff
			g.vertices[i].ColorG = float32(ink.G) / 0xff
			g.vertices[i].ColorB = float32(ink.B) / 0xff
			g.vertices[i].ColorA = 1
		}
		screen.DrawTriangles(g.vertices, g.indices, g.white, &ebiten.DrawTrianglesOptions{AntiAlias: true, FillRule: ebiten.FillRuleNonZero})
	}
}

func (g *game) drawText(dst *ebiten.Image, s string, r sketch.Rect, size float64, c color.Color) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(r.X+r.W/2, r.Y+r.H/2)
	op.ColorScale.ScaleWithColor(c)
	op.PrimaryAlign, op.SecondaryAlign = text.AlignCenter, text.AlignCenter
	text.Draw(dst, s, &text.GoTextFace{Source: fontFaces, Size: size}, op)
}

func (g *game) drawButton(dst *ebiten.Image, r sketch.Rect, label string) {
	fillRect(dst, r, paper)
	vector.StrokeRect(dst, float32(r.X), float32(r.Y), float32(r.W), float32(r.H), float32(g.scale), accent, false)
	g.drawText(dst, label, r, min(r.H*0.45, r.W/4), accent)
}

func (g *game) drawResult(dst *ebiten.Image) {
	l := g.layout
	fillRect(dst, l.Result, paper)
	fillRect(dst, l.Preview, color.Black)
	if g.result.Digit < 0 {
		g.drawText(dst, "?", l.Result, l.Result.H*0.6, muted)
		return
	}
	c := ink
	if !g.result.Sure {
		c = unsure
	}
	big := sketch.Rect{X: l.Result.X, Y: l.Result.Y, W: l.Result.W, H: l.Result.H * 0.72}
	g.drawText(dst, fmt.Sprint(g.result.Digit), big, big.H*0.85, c)
	label := fmt.Sprintf("%.0f%%", 100*g.result.Probs[g.result.Digit])
	if !g.result.Sure {
		label = "not sure · " + label
	}
	small := sketch.Rect{X: l.Result.X, Y: big.Y + big.H, W: l.Result.W, H: l.Result.H - big.H}
	g.drawText(dst, label, small, small.H*0.6, c)
	if g.input != nil {
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Scale(l.Preview.W/digit.Size, l.Preview.H/digit.Size)
		op.GeoM.Translate(l.Preview.X, l.Preview.Y)
		dst.DrawImage(g.preview, op)
	}
}

// drawBars draws one bar per digit, the top one in the accent colour.
func (g *game) drawBars(dst *ebiten.Image) {
	r := g.layout.Bars
	rowH := r.H / 10
	labelW := rowH * 1.2
	for d := range 10 {
		y := r.Y + float64(d)*rowH
		g.drawText(dst, fmt.Sprint(d), sketch.Rect{X: r.X, Y: y, W: labelW, H: rowH}, rowH*0.6, ink)
		track := sketch.Rect{X: r.X + labelW, Y: y + rowH*0.2, W: r.W - labelW, H: rowH * 0.6}
		fillRect(dst, track, barTrack)
		if g.result.Digit < 0 {
			continue
		}
		c := muted
		if d == g.result.Digit {
			c = accent
		}
		fillRect(dst, sketch.Rect{X: track.X, Y: track.Y, W: track.W * float64(g.result.Probs[d]), H: track.H}, c)
	}
}

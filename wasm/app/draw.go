//go:build js && wasm

package main

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/wasm/app/glyph"
	"github.com/tegaki/tegaki/wasm/app/msg"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

var (
	paper    = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink      = color.RGBA{0x1a, 0x1a, 0x2e, 0xff}
	backdrop = color.RGBA{0xee, 0xee, 0xf2, 0xff}
	accent   = color.RGBA{0x2e, 0x6b, 0xd8, 0xff}
	muted    = color.RGBA{0x88, 0x88, 0x99, 0xff}
	unsure   = color.RGBA{0xd8, 0x7b, 0x2e, 0xff}
	barTrack = color.RGBA{0xdd, 0xdd, 0xe4, 0xff}
)

// supersample is how much finer than the screen a layer is.
const supersample = 2

// A surface is an image drawn on in screen coordinates (device pixels):
// the screen itself, or a layer.
type surface struct {
	img       *ebiten.Image
	x0, y0    float64 // the screen point at the image's origin
	k         float64 // image pixels per screen pixel
	antialias bool
}

func (s surface) pt(x, y float64) (float32, float32) {
	return float32((x - s.x0) * s.k), float32((y - s.y0) * s.k)
}

// A layer is an offscreen image, supersample times finer than the screen,
// behind one area of it. Shapes are drawn into it without anti-aliasing
// and copied onto the screen with linear filtering, which averages each
// 2×2 block: anti-aliased edges for the cost of copying only the pixels
// that changed. (ebiten's own AntiAlias option renders each draw call into
// a fresh double-sized offscreen the size of the shape's bounds; with
// software WebGL that made every stroke segment cost tens of milliseconds.)
type layer struct {
	surface
	area image.Rectangle // on the screen
}

// reset fits the layer to r, rounded out to whole device pixels, and
// fills it with c.
func (ly *layer) reset(r sketch.Rect, c color.Color) {
	area := image.Rect(int(math.Floor(r.X)), int(math.Floor(r.Y)), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H)))
	if ly.img == nil || area.Size() != ly.area.Size() {
		if ly.img != nil {
			ly.img.Deallocate()
		}
		ly.img = ebiten.NewImage(max(area.Dx(), 1)*supersample, max(area.Dy(), 1)*supersample)
	}
	ly.area = area
	ly.surface = surface{img: ly.img, x0: float64(area.Min.X), y0: float64(area.Min.Y), k: supersample}
	ly.img.Fill(c)
}

// present copies the part of the layer under r (screen coordinates) onto
// the screen.
func (ly *layer) present(screen *ebiten.Image, r image.Rectangle) {
	r = r.Intersect(ly.area)
	if r.Empty() {
		return
	}
	src := r.Sub(ly.area.Min)
	src.Min, src.Max = src.Min.Mul(supersample), src.Max.Mul(supersample)
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterLinear}
	op.GeoM.Scale(1.0/supersample, 1.0/supersample)
	op.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
	screen.DrawImage(ly.img.SubImage(src).(*ebiten.Image), op)
}

// Draw paints what changed since the last frame: the screen is not cleared
// between frames, so that a frame while drawing costs a few new stroke
// segments and a small copy, not the whole page.
func (g *game) Draw(screen *ebiten.Image) {
	l := g.layout
	full := g.drawn.w != g.w || g.drawn.h != g.h || g.tick <= 2 || g.drawn.lang != lang
	if full {
		g.drawn.w, g.drawn.h, g.drawn.lang = g.w, g.h, lang
		g.drawn.painted = sketch.Mark{}
		screen.Fill(backdrop)
		scr := surface{img: screen, k: 1, antialias: true}
		g.drawButton(scr, l.Open, lang.Text(msg.Open))
		g.drawButton(scr, l.Clear, lang.Text(msg.Clear))
		g.drawButton(scr, l.Undo, lang.Text(msg.Undo))
		what := lang.Text(msg.PreviewLabel)
		g.drawText(scr, what, l.PreviewLabel, fit(what, l.PreviewLabel, l.PreviewLabel.H*0.55), muted)
	}
	restart, tails := g.s.Sketch().Unpainted(&g.drawn.painted)
	empty := g.s.Sketch().Empty()
	prompt := empty && g.picture == nil
	if full || restart || g.drawn.prompt != prompt || g.drawn.picture != g.picture {
		g.canvas.reset(l.Canvas, paper)
		if g.picture != nil {
			g.drawPicture(g.canvas.surface)
		}
		if prompt {
			text := lang.Text(msg.Prompt)
			if g.hint {
				text = lang.Text(msg.Hint)
			}
			g.drawLabel(g.canvas.surface, l.Canvas, text, muted)
		}
		g.drawn.prompt, g.drawn.picture = prompt, g.picture
		g.drawStrokes(g.canvas.surface, g.s.Sketch().Strokes())
		g.canvas.present(screen, g.canvas.area)
	} else if len(tails) > 0 {
		g.drawStrokes(g.canvas.surface, tails)
		g.canvas.present(screen, g.inkBounds(tails))
	}
	if full || g.drawn.result != g.s.Result() || g.drawn.notice != g.s.Notice() || g.drawn.hint != g.hint || g.drawn.why != g.why.view.Version() {
		g.drawn.result, g.drawn.notice, g.drawn.hint, g.drawn.why = g.s.Result(), g.s.Notice(), g.hint, g.why.view.Version()
		g.drawResult(screen)
		g.drawBars(screen)
	}
}

// drawPicture draws the opened picture as large as fits in the drawing
// area, centred.
func (g *game) drawPicture(dst surface) {
	c := g.layout.Canvas
	b := g.picture.Bounds()
	k := min(c.W/float64(b.Dx()), c.H/float64(b.Dy()))
	w, h := float64(b.Dx())*k, float64(b.Dy())*k
	x, y := dst.pt(c.X+(c.W-w)/2, c.Y+(c.H-h)/2)
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterLinear}
	op.GeoM.Scale(k*dst.k, k*dst.k)
	op.GeoM.Translate(float64(x), float64(y))
	dst.img.DrawImage(g.picture, op)
}

// inkBounds returns the screen pixels that strokes cover.
func (g *game) inkBounds(strokes []digit.Stroke) image.Rectangle {
	c := g.layout.Canvas
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, st := range strokes {
		for _, p := range st {
			x0, y0 = min(x0, p.X), min(y0, p.Y)
			x1, y1 = max(x1, p.X), max(y1, p.Y)
		}
	}
	pad := sketch.PenWidth*c.W/2 + 2 // the pen's radius, and the filter's reach
	return image.Rect(
		int(math.Floor(c.X+x0*c.W-pad)), int(math.Floor(c.Y+y0*c.H-pad)),
		int(math.Ceil(c.X+x1*c.W+pad)), int(math.Ceil(c.Y+y1*c.H+pad)))
}

func fillRect(dst surface, r sketch.Rect, c color.Color) {
	x, y := dst.pt(r.X, r.Y)
	vector.DrawFilledRect(dst.img, x, y, float32(r.W*dst.k), float32(r.H*dst.k), c, false)
}

// drawStrokes draws each stroke as one path with round caps and joins, so
// fast strokes stay continuous.
func (g *game) drawStrokes(dst surface, strokes []digit.Stroke) {
	c := g.layout.Canvas
	width := float32(sketch.PenWidth * c.W * dst.k)
	for _, st := range strokes {
		if len(st) == 1 {
			x, y := dst.pt(c.X+st[0].X*c.W, c.Y+st[0].Y*c.H)
			vector.DrawFilledCircle(dst.img, x, y, width/2, ink, dst.antialias)
			continue
		}
		var p vector.Path
		for i, pt := range st {
			x, y := dst.pt(c.X+pt.X*c.W, c.Y+pt.Y*c.H)
			if i == 0 {
				p.MoveTo(x, y)
			} else {
				p.LineTo(x, y)
			}
		}
		g.vertices, g.indices = p.AppendVerticesAndIndicesForStroke(g.vertices[:0], g.indices[:0], &vector.StrokeOptions{
			Width: width, LineCap: vector.LineCapRound, LineJoin: vector.LineJoinRound,
		})
		g.fill(dst, ink)
	}
}

// drawText draws s centred in r, its capital letters and digits size
// high, as filled outlines.
func (g *game) drawText(dst surface, s string, r sketch.Rect, size float64, c color.RGBA) {
	var p vector.Path
	x, y := dst.pt(r.X+r.W/2, r.Y+r.H/2)
	glyph.AppendCentered(&p, s, x, y, float32(size*dst.k))
	g.vertices, g.indices = p.AppendVerticesAndIndicesForFilling(g.vertices[:0], g.indices[:0])
	g.fill(dst, c)
}

// fill draws g.vertices and g.indices in colour c.
func (g *game) fill(dst surface, c color.RGBA) {
	for i := range g.vertices {
		g.vertices[i].SrcX, g.vertices[i].SrcY = 1, 1
		g.vertices[i].ColorR = float32(c.R) / 0xff
		g.vertices[i].ColorG = float32(c.G) / 0xff
		g.vertices[i].ColorB = float32(c.B) / 0xff
		g.vertices[i].ColorA = float32(c.A) / 0xff
	}
	dst.img.DrawTriangles(g.vertices, g.indices, g.white, &ebiten.DrawTrianglesOptions{AntiAlias: dst.antialias, FillRule: ebiten.FillRuleNonZero})
}

// fit returns size, or less if s at size would be wider than nine tenths
// of r: the size at which s fits r with a margin.
func fit(s string, r sketch.Rect, size float64) float64 {
	return float64(glyph.Fit(s, float32(size), float32(0.9*r.W)))
}

func (g *game) drawButton(dst surface, r sketch.Rect, label string) {
	fillRect(dst, r, paper)
	x, y := dst.pt(r.X, r.Y)
	vector.StrokeRect(dst.img, x, y, float32(r.W*dst.k), float32(r.H*dst.k), float32(g.scale*dst.k), accent, false)
	g.drawText(dst, label, r, fit(label, r, min(r.H*0.45, r.W/4)), accent)
}

// drawLabel draws a line of words centred in the drawing area r: a
// twelfth of r's width high at most, less if it would not fit.
func (g *game) drawLabel(dst surface, r sketch.Rect, s string, c color.RGBA) {
	g.drawText(dst, s, r, fit(s, r, r.W/12), c)
}

// drawResult shows the top digit large with its probability, and the
// network's input beside it.
func (g *game) drawResult(screen *ebiten.Image) {
	l := g.layout
	g.panel.reset(l.Result, paper)
	dst := g.panel.surface
	c := ink
	switch {
	case g.s.Result().Digit < 0 && g.s.Notice() != "":
		notice := lang.Text(g.s.Notice())
		g.drawText(dst, notice, l.Result, fit(notice, l.Result, l.Result.H*0.2), unsure)
	case g.s.Result().Digit < 0 && g.hint:
		// The first visit: where the answer will be.
		here := lang.Text(msg.AnswerHere)
		g.drawText(dst, here, l.Result, fit(here, l.Result, l.Result.H*0.16), muted)
	case g.s.Result().Digit < 0:
		g.drawText(dst, "?", l.Result, l.Result.H*0.6, muted)
	default:
		if !g.s.Result().Sure {
			c = unsure
		}
		big := sketch.Rect{X: l.Result.X, Y: l.Result.Y, W: l.Result.W, H: l.Result.H * 0.72}
		g.drawText(dst, fmt.Sprint(g.s.Result().Digit), big, big.H*0.85, c)
		label := fmt.Sprintf("%.0f%%", 100*g.s.Result().Probabilities[g.s.Result().Digit])
		if !g.s.Result().Sure {
			label = fmt.Sprintf(lang.Text(msg.NotSure), label)
		}
		small := sketch.Rect{X: l.Result.X, Y: big.Y + big.H, W: l.Result.W, H: l.Result.H - big.H}
		g.drawText(dst, label, small, fit(label, small, small.H*0.6), c)
	}
	g.panel.present(screen, g.panel.area)

	scr := surface{img: screen, k: 1}
	fillRect(scr, l.Preview, color.Black)
	if g.s.Result().Digit >= 0 && g.s.Input() != nil {
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Scale(l.Preview.W/digit.Size, l.Preview.H/digit.Size)
		op.GeoM.Translate(l.Preview.X, l.Preview.Y)
		img := g.preview
		if m := g.whyImage(); m != nil {
			img = m
		}
		screen.DrawImage(img, op)
	}
	g.drawWhyCaption(scr, l.Preview)
}

// drawBars draws one bar per digit, the top one in the accent colour.
func (g *game) drawBars(screen *ebiten.Image) {
	r := g.layout.Bars
	g.bars.reset(r, backdrop)
	dst := g.bars.surface
	rowH := r.H / 10
	labelW := rowH * 1.2
	for d := range 10 {
		y := r.Y + float64(d)*rowH
		g.drawText(dst, fmt.Sprint(d), sketch.Rect{X: r.X, Y: y, W: labelW, H: rowH}, rowH*0.6, g.barLabel(d))
		track := sketch.Rect{X: r.X + labelW, Y: y + rowH*0.2, W: r.W - labelW, H: rowH * 0.6}
		fillRect(dst, track, barTrack)
		if g.s.Result().Digit < 0 {
			continue
		}
		c := muted
		if d == g.s.Result().Digit {
			c = accent
		}
		fillRect(dst, sketch.Rect{X: track.X, Y: track.Y, W: track.W * float64(g.s.Result().Probabilities[d]), H: track.H}, c)
	}
	g.bars.present(screen, g.bars.area)
}

//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/app/glyph"
	"github.com/tegaki/tegaki/wasm/app/msg"
	"github.com/tegaki/tegaki/wasm/app/sketch"
	"github.com/tegaki/tegaki/wasm/app/why"
)

// The why view (package why holds its state): tapping the 28×28 input
// shows, in its place, the map of which pixels pushed the network toward
// its answer (blue) and which against it (amber); a long press on a
// digit's bar shows that digit's map instead. A plain tap on a bar is left
// for marking the digit meant.

// whyGlue is the game's part of the why view.
type whyGlue struct {
	view  *why.View
	hold  why.Hold
	img   *ebiten.Image // the map shown, 28×28
	imgOf int           // the view's version img was drawn at
	pubOf int           // and the one the page was told of
	told  bool          // whether the page was told at all
}

func newWhyGlue(v *why.View) whyGlue {
	return whyGlue{view: v, img: ebiten.NewImage(digit.Size, digit.Size), imgOf: -1}
}

// updateWhy turns a long press on a bar into a choice, keeps the map in
// step with the input shown, and mirrors the view into the page.
func (g *game) updateWhy() {
	w := &g.why
	if x, y, ok := w.hold.Due(g.tick); ok && g.layout.Bars.Contains(x, y) {
		w.view.Choose(barAt(g.layout.Bars, y), g.s.Result().Digit)
	}
	w.view.Sync(g.s.Input())
	if v := w.view.Version(); !w.told || v != w.pubOf {
		w.told, w.pubOf = true, v
		_, d := w.view.Map()
		publishWhy(w.view.Open(), d)
	}
}

// barAt returns the digit of the bar at height y in bars.
func barAt(bars sketch.Rect, y float64) int {
	return min(max(int((y-bars.Y)/(bars.H/10)), 0), 9)
}

// release ends pointer id's stroke and its press.
func (g *game) release(id sketch.PointerID) {
	g.s.Release(id)
	g.why.hold.Release(id)
}

// whyImage returns the map to show in place of the input, or nil.
func (g *game) whyImage() *ebiten.Image {
	m, _ := g.why.view.Map()
	if m == nil {
		return nil
	}
	if v := g.why.view.Version(); v != g.why.imgOf {
		g.why.imgOf = v
		g.why.img.WritePixels(m.Image(1).Pix) // opaque, so premultiplied as it is
	}
	return g.why.img
}

// drawWhyCaption labels the preview at r: "why?" while it shows the
// input, "why 7" or "why not 3" while it shows a map. It sits in the
// bottom seventh, which a digit seldom reaches (MNIST's digits fill a
// 20-pixel box in the middle of 28), so it hides little of either.
func (g *game) drawWhyCaption(dst surface, r sketch.Rect) {
	if g.s.Result().Digit < 0 {
		return
	}
	label, c := lang.Text(msg.WhyAsk), muted
	if _, d := g.why.view.Map(); d >= 0 {
		label, c = fmt.Sprintf(lang.Text(msg.WhyIs), d), pretrained.Toward
		if d != g.s.Result().Digit {
			label, c = fmt.Sprintf(lang.Text(msg.WhyNot), d), pretrained.Against
		}
	}
	dst.antialias = true
	band := sketch.Rect{X: r.X, Y: r.Y + r.H*6/7, W: r.W, H: r.H / 7}
	size := min(band.H*0.7, 0.9*r.W/float64(glyph.Width(label, 1)))
	g.drawText(dst, label, band, size, c)
}

// barLabel returns the colour of digit d's label in the bars: the map's
// colour for the digit the why view explains, ink for the others.
func (g *game) barLabel(d int) color.RGBA {
	_, shown := g.why.view.Map()
	switch {
	case d != shown:
		return ink
	case d == g.s.Result().Digit:
		return pretrained.Toward
	}
	return pretrained.Against
}

// publishWhy mirrors the why view into #prediction: data-why is the digit
// whose map is shown, or "" when the view is closed or has nothing to show.
func publishWhy(open bool, d int) {
	out := element("prediction")
	if out.IsUndefined() || out.IsNull() {
		return
	}
	v := ""
	if open && d >= 0 {
		v = strconv.Itoa(d)
	}
	out.Call("setAttribute", "data-why", v)
}

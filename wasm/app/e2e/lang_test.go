//go:build browser

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tegaki/tegaki/nn/digit/trace"
	"github.com/tegaki/tegaki/wasm/app/msg"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// The devices of the language tests: the phone a newcomer used, 390×844
// CSS pixels, both ways up, and a desktop.
var (
	phone390     = device{"phone", 390, 844, 3, true}
	phone390Wide = device{"phone-landscape", 844, 390, 3, true}
)

// langBrowser starts Chromium whose preferred languages are tags (as
// Accept-Language), shows the app on d and waits until it is ready.
func langBrowser(t *testing.T, d device, tags string) context.Context {
	t.Helper()
	ctx := newBrowser(t, d, chromedp.Flag("lang", tags), chromedp.Flag("accept-lang", tags))
	open(t, ctx, siteURL)
	return ctx
}

// pageWords is what the page says in words, read from its DOM.
type pageWords struct {
	Lang, Title, Tagline, Switch, Area, Model, Prediction, Manifest, Languages string
}

func readWords(t *testing.T, ctx context.Context) pageWords {
	t.Helper()
	return eval[pageWords](t, ctx, `(() => ({
		Lang: document.documentElement.lang,
		Title: document.title,
		Tagline: document.querySelector("h1 span").textContent,
		Switch: document.getElementById("lang").textContent,
		Area: document.querySelector("[data-drawing-area]").getAttribute("aria-label"),
		Model: document.getElementById("model").textContent,
		Prediction: document.getElementById("prediction").textContent,
		Manifest: document.querySelector('link[rel="manifest"]').getAttribute("href"),
		Languages: navigator.languages.join(","),
	}))()`)
}

// checkWords checks that the page says everything in l.
func checkWords(t *testing.T, ctx context.Context, l msg.Lang) {
	t.Helper()
	w := readWords(t, ctx)
	other := msg.Japanese
	manifest := "manifest.webmanifest"
	if l == msg.Japanese {
		other, manifest = msg.English, "manifest.ja.webmanifest"
	}
	model := strings.SplitN(l.Text(msg.ModelLine), " ", 2)[0] // "model" or "モデル"
	for _, c := range []struct{ what, got, want string }{
		{"<html lang>", w.Lang, l.Tag()},
		{"title", w.Title, l.Text(msg.Title)},
		{"heading", w.Tagline, l.Text(msg.Tagline)},
		{"switch", w.Switch, other.Text(msg.LangName)},
		{"drawing area's name", w.Area, l.Text(msg.DrawingArea)},
		{"#prediction", w.Prediction, l.Text(msg.DrawADigit)},
		{"manifest", w.Manifest, manifest},
		{"footer's first word", strings.SplitN(w.Model, " ", 2)[0], model},
	} {
		if c.got != c.want {
			t.Errorf("%s (browser's languages %s): %s is %q, want %q", l.Tag(), w.Languages, c.what, c.got, c.want)
		}
	}
}

// TestLanguage checks that the page comes up in the browser's language,
// Japanese for a ja browser, English for en, and English for a language
// it does not speak.
func TestLanguage(t *testing.T) {
	for _, tt := range []struct {
		tags string
		want msg.Lang
	}{
		{"ja", msg.Japanese},
		{"en-US,en", msg.English},
		{"fr-FR,ja", msg.Japanese}, // the first language the page speaks
		{"fr", msg.English},
	} {
		t.Run(tt.tags, func(t *testing.T) {
			ctx := langBrowser(t, desktop, tt.tags)
			checkWords(t, ctx, tt.want)
		})
	}
}

// TestLanguageSwitch checks that the switch changes every word at once,
// and that the choice outlives a reload, in both directions.
func TestLanguageSwitch(t *testing.T) {
	ctx := langBrowser(t, phone390, "en")
	checkWords(t, ctx, msg.English)
	for _, want := range []msg.Lang{msg.Japanese, msg.English} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#lang"))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, "the switch to "+want.Tag(), fmt.Sprintf(`document.documentElement.lang === %q`, want.Tag()), 5*time.Second)
		checkWords(t, ctx, want)
		open(t, ctx, siteURL)
		checkWords(t, ctx, want)
	}
}

// TestLayoutWords checks, in both languages, portrait and landscape on a
// 390×844 phone and on a desktop, that no word of the page is cut or
// outside the screen: the heading, the switch, the footer, which keeps a
// margin from the screen's edges. It draws a digit and saves a screenshot
// of each, for README.
func TestLayoutWords(t *testing.T) {
	for _, l := range msg.Langs {
		for _, d := range []device{phone390, phone390Wide, desktop} {
			t.Run(l.Tag()+"-"+d.name, func(t *testing.T) {
				ctx := langBrowser(t, d, l.Tag())
				checkWords(t, ctx, l)
				type box struct {
					Left, Right, Top, Bottom float64
					Cut                      bool
				}
				boxes := eval[map[string]box](t, ctx, `(() => {
					const out = {};
					for (const sel of ["h1", "#lang", "footer", "#model", "footer .how", "footer .keys"]) {
						const e = document.querySelector(sel);
						if (getComputedStyle(e).display === "none") continue;
						const r = e.getBoundingClientRect();
						out[sel] = {Left: r.left, Right: r.right, Top: r.top, Bottom: r.bottom,
							Cut: e.scrollWidth > e.clientWidth + 0.5 && e.clientWidth > 0};
					}
					return out;
				})()`)
				for _, sel := range []string{"h1", "#lang", "footer", "#model"} {
					if _, ok := boxes[sel]; !ok {
						t.Errorf("%s is not shown", sel)
					}
				}
				const margin = 12 // CSS pixels, style.css's footer and header padding
				for sel, b := range boxes {
					if b.Cut {
						t.Errorf("%s is cut: its text is wider than its box", sel)
					}
					if sel != "footer" && (b.Left < margin-0.5 || b.Right > float64(d.width)-margin+0.5) {
						t.Errorf("%s spans x %.1f to %.1f, want within %d px of the %d px screen's edges", sel, b.Left, b.Right, margin, d.width)
					}
					if b.Top < 0 || b.Bottom > float64(d.height) {
						t.Errorf("%s spans y %.1f to %.1f, outside the %d px screen", sel, b.Top, b.Bottom, d.height)
					}
				}
				for _, sel := range []string{"footer .how", "footer .keys"} {
					if _, ok := boxes[sel]; ok != (d.width >= 1000) {
						t.Errorf("%s shown: %v, want %v on a %d px screen", sel, ok, d.width >= 1000, d.width)
					}
				}
				seven := [][]trace.Point{{{X: 7, Y: 6}, {X: 21, Y: 6}, {X: 12, Y: 24}}}
				if err := chromedp.Do(ctx, pointer{touch: d.mobile}.draw(layout(d).Canvas, seven)...); err != nil {
					t.Fatal(err)
				}
				screenshot(t, ctx, l.Tag()+"-"+d.name)
			})
		}
	}
}

// TestFirstVisit checks the first visit's hint: the empty drawing area says
// what to do in a long line, until something is drawn; from then on, and
// after a reload, it shows the short prompt.
func TestFirstVisit(t *testing.T) {
	d := phone390
	ctx := langBrowser(t, d, "ja")
	l := layout(d)
	first := promptAspect(t, ctx, l.Canvas, d.width)
	screenshot(t, ctx, "ja-phone-first-visit")
	if drawn := eval[bool](t, ctx, `localStorage.getItem("tegaki.drawn") !== null`); drawn {
		t.Error("before drawing, the page already remembers a drawing")
	}
	one := [][]trace.Point{{{X: 14, Y: 4}, {X: 14, Y: 24}}}
	p := pointer{touch: true}
	if err := chromedp.Do(ctx, append(p.draw(l.Canvas, one), p.tap(l.Clear)...)...); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the drawing to be cleared", `document.getElementById("prediction").dataset.digit === ""`, 5*time.Second)
	time.Sleep(200 * time.Millisecond) // a frame or two to repaint
	after := promptAspect(t, ctx, l.Canvas, d.width)
	if drawn := eval[bool](t, ctx, `localStorage.getItem("tegaki.drawn") === "1"`); !drawn {
		t.Error("after drawing, the page does not remember it")
	}
	open(t, ctx, siteURL)
	reloaded := promptAspect(t, ctx, l.Canvas, d.width)
	// Both lines are drawn as large as fits, so they differ in shape, not
	// width: the hint, 0〜9の数字を1つ書いてください, is some 14 em long,
	// the prompt, 数字を書いてください, 10 em, both about one em high.
	t.Logf("width/height of the empty drawing area's words: %.1f on the first visit, %.1f after drawing, %.1f after a reload", first, after, reloaded)
	if !(first > 1.2*after && after > 0 && abs(reloaded-after) < 0.5) {
		t.Errorf("the words' width/height is %.1f on the first visit, %.1f after drawing, %.1f after a reload; want the hint, then the shorter prompt twice", first, after, reloaded)
	}
}

// promptAspect returns the ratio of width to height of the grey words
// across the middle of the drawing area c (CSS pixels) of a page width CSS
// pixels wide, read from a screenshot, or 0 if there are none.
func promptAspect(t *testing.T, ctx context.Context, c sketch.Rect, width int64) float64 {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// The screenshot is in device pixels, or CSS pixels: find out which.
	k := float64(img.Bounds().Dx()) / float64(width)
	band := image.Rect(int(c.X*k), int((c.Y+c.H*0.4)*k), int((c.X+c.W)*k), int((c.Y+c.H*0.6)*k))
	lo, hi := band.Max.X, band.Min.X
	top, bottom := band.Max.Y, band.Min.Y
	for y := band.Min.Y; y < band.Max.Y; y++ {
		for x := band.Min.X; x < band.Max.X; x++ {
			r, _, bl, _ := img.At(x, y).RGBA()
			// The prompt's grey (0x88, 0x88, 0x99), antialiased onto white:
			// darker than the paper, bluer than the ink would be.
			if r>>8 < 0xd0 && bl >= r && r>>8 > 0x60 {
				lo, hi = min(lo, x), max(hi, x)
				top, bottom = min(top, y), max(bottom, y)
			}
		}
	}
	if hi < lo {
		return 0
	}
	return float64(hi-lo+1) / float64(bottom-top+1)
}

//go:build browser

package e2e

import (
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tegaki/tegaki/wasm/app/e2e/trace"
)

// BenchmarkReady measures the time from navigation to a ready app (the
// wasm downloaded, compiled and started, the model parsed), on localhost.
func BenchmarkReady(b *testing.B) {
	ctx := browser(b, desktop)
	for b.Loop() {
		start := time.Now()
		if err := chromedp.Do(ctx, chromedp.Navigate(siteURL), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/ready")
	}
}

// BenchmarkInference reports the median of the page's own inference times
// (data-ms: strokes to input to probabilities) over many predictions.
func BenchmarkInference(b *testing.B) {
	ctx := browser(b, desktop)
	l := layout(desktop)
	p := pointer{}
	seven := [][]trace.Point{{{X: 7, Y: 6}, {X: 21, Y: 6}, {X: 12, Y: 24}}}
	var times []float64
	for b.Loop() {
		acts := append(p.tap(l.Clear), p.draw(l.Canvas, seven)...)
		acts = append(acts, chromedp.Sleep(100*time.Millisecond))
		if err := chromedp.Do(ctx, acts...); err != nil {
			b.Fatal(err)
		}
		_, _, ms := prediction(b, ctx)
		v, err := strconv.ParseFloat(ms, 64)
		if err != nil {
			b.Fatalf("data-ms %q: %v", ms, err)
		}
		times = append(times, v)
	}
	sort.Float64s(times)
	b.ReportMetric(times[len(times)/2], "ms/inference(median)")
}

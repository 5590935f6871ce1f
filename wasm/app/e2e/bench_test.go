//go:build browser

package e2e

import (
	"context"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/tegaki/tegaki/nn/digit/trace"
)

// BenchmarkReady measures the median time from navigation to a ready app
// (the wasm downloaded, compiled and started, the model parsed), on
// localhost, with the files in the browser's cache.
func BenchmarkReady(b *testing.B) { benchReady(b, false) }

// BenchmarkReadyCold is BenchmarkReady with the cache emptied before each
// navigation, the service worker's too: a first visit, every file
// downloaded.
func BenchmarkReadyCold(b *testing.B) { benchReady(b, true) }

func benchReady(b *testing.B, cold bool) {
	ctx := browser(b, desktop)
	var times []float64
	for b.Loop() {
		if cold {
			err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				if _, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{}); err != nil {
					return err
				}
				_, err := cdp.Call(ctx, t, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: siteURL, StorageTypes: "cache_storage,service_workers"})
				return err
			}))
			if err != nil {
				b.Fatal(err)
			}
		}
		start := time.Now()
		if err := chromedp.Do(ctx, chromedp.Navigate(siteURL), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
			b.Fatal(err)
		}
		times = append(times, float64(time.Since(start).Microseconds())/1000)
	}
	b.ReportMetric(median(times), "ms/ready(median)")
}

func median(v []float64) float64 {
	sort.Float64s(v)
	return v[len(v)/2]
}

// BenchmarkInference reports the median of the page's own inference times
// (data-ms: strokes to input to probabilities) over many predictions.
func BenchmarkInference(b *testing.B) { benchInference(b, false) }

// BenchmarkInferenceWhy is BenchmarkInference with the why view open, so
// that each prediction computes its map too.
func BenchmarkInferenceWhy(b *testing.B) { benchInference(b, true) }

func benchInference(b *testing.B, why bool) {
	ctx := browser(b, desktop)
	l := layout(desktop)
	p := pointer{}
	seven := [][]trace.Point{{{X: 7, Y: 6}, {X: 21, Y: 6}, {X: 12, Y: 24}}}
	if why {
		// Open the view on a first drawing; it stays open when cleared.
		acts := append(p.draw(l.Canvas, seven), p.tap(l.Preview)...)
		if err := chromedp.Do(ctx, append(acts, chromedp.WaitReady(chromedp.CSS(`#prediction[data-why="7"]`)))...); err != nil {
			b.Fatal(err)
		}
	}
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
	b.ReportMetric(median(times), "ms/inference(median)")
}

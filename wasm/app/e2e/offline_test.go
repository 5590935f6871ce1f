//go:build browser

package e2e

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/tegaki/tegaki/nn/digit/trace"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// The page without a network: the service worker (site/sw.js, registered by
// site/pwa.js), the offer to reload into a new build, the single-file page
// and the manifest, all as tools/bundle builds them.

// TestOfflineReload loads the page once, waits until the service worker
// controls it, stops the server and cuts the network, and reloads: the page
// must start from the worker's cache and still read a drawn digit.
func TestOfflineReload(t *testing.T) {
	url, stop := serve(t, siteDir)
	ctx := newBrowser(t, desktop)
	open(t, ctx, url)
	waitFor(t, ctx, "the service worker controls the page", `navigator.serviceWorker.controller !== null`, time.Minute)
	stop()
	cutNetwork(t, ctx)
	reload, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(reload, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
		t.Fatalf("offline reload: app not ready: %v", err)
	}
	if got := drawSeven(t, ctx); got != "7" {
		t.Errorf("offline: a drawn 7 read as %q", got)
	}
	if hidden := eval[bool](t, ctx, `document.getElementById("update").hidden`); !hidden {
		t.Error("offline: the update banner shows, with no new version")
	}
}

// TestUpdateOffer serves build A, opens the page, then puts build B (the
// same app with a different model file embedded) at the same URL, as a
// redeploy does. The open page must notice, offer to reload rather than
// switch by itself, and after "Reload" run build B (the footer shows B's
// model hash) with A's cache deleted.
func TestUpdateOffer(t *testing.T) {
	type build struct {
		site, model string
		err         error
	}
	other := make(chan build, 1)
	otherDir := t.TempDir()
	go func() { // while the browser loads build A
		site, model, err := buildOtherModel(otherDir)
		other <- build{site, model, err}
	}()

	live := t.TempDir()
	if err := copyDir(live, siteDir); err != nil {
		t.Fatal(err)
	}
	url, _ := serve(t, live)
	ctx := newBrowser(t, desktop)
	open(t, ctx, url)
	waitFor(t, ctx, "the service worker controls the page", `navigator.serviceWorker.controller !== null`, time.Minute)
	if got, want := eval[string](t, ctx, `document.getElementById("model").dataset.sha256`), pretrained.SHA256(); got != want {
		t.Fatalf("build A shows model %s, want the embedded %s", got, want)
	}

	b := <-other
	if b.err != nil {
		t.Fatal(b.err)
	}
	if err := copyDir(live, b.site); err != nil {
		t.Fatal(err)
	}
	// pwa.js looks for a new version whenever the page is shown again
	// (and every hour); the browser does on each navigation.
	eval[bool](t, ctx, `document.dispatchEvent(new Event("visibilitychange")), true`)
	offer, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(offer, chromedp.WaitVisible(chromedp.CSS(`#update`))); err != nil {
		t.Fatalf("no offer to reload after a new build: %v", err)
	}
	if got := eval[string](t, ctx, `document.getElementById("model").dataset.sha256`); got != pretrained.SHA256() {
		t.Fatalf("the page switched to model %s before the user said so", got)
	}
	screenshot(t, ctx, "update")
	if err := chromedp.Do(offer, chromedp.Click(chromedp.CSS(`#update-reload`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "build B's model in the footer after Reload",
		fmt.Sprintf(`document.body.dataset.ready === "true" && document.getElementById("model").dataset.sha256 === %q`, b.model), time.Minute)

	sw, err := os.ReadFile(filepath.Join(b.site, "sw.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"cache":"([^"]+)"`).FindSubmatch(sw)
	if m == nil {
		t.Fatalf("build B's sw.js names no cache")
	}
	want := fmt.Sprintf(`[%q]`, m[1])
	waitFor(t, ctx, "only build B's cache left", fmt.Sprintf(`caches.keys().then((k) => JSON.stringify(k) === %q)`, want), 10*time.Second)
	if hidden := eval[bool](t, ctx, `document.getElementById("update").hidden`); !hidden {
		t.Error("the update banner still shows after reloading into the new version")
	}
}

// buildOtherModel builds the site into dir with a different model
// embedded: the pretrained model rewritten by tools/train with float32
// weights, put in place of nn/pretrained/tegaki.safetensors with go build
// -overlay. It returns the site's folder and the model's SHA-256.
func buildOtherModel(dir string) (site, sha string, err error) {
	orig, err := filepath.Abs("../../../nn/pretrained/tegaki.safetensors")
	if err != nil {
		return "", "", err
	}
	model := filepath.Join(dir, "float32.safetensors")
	train := exec.Command("go", "run", "github.com/tegaki/tegaki/tools/train", "-from", orig, "-weights", "float32", "-o", model)
	if out, err := train.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("train -from: %v\n%s", err, out)
	}
	b, err := os.ReadFile(model)
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256(b)
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {orig: model}})
	if err != nil {
		return "", "", err
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		return "", "", err
	}
	site, _, err = buildSite(filepath.Join(dir, "build"), overlayFile)
	return site, hex.EncodeToString(sum[:]), err
}

// TestSingleFile opens the single-file page from a file:// URL with the
// network cut: it must start and read a drawn digit, with no service worker.
func TestSingleFile(t *testing.T) {
	st, err := os.Stat(singlePage)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes", filepath.Base(singlePage), st.Size())
	ctx := newBrowser(t, desktop)
	cutNetwork(t, ctx)
	open(t, ctx, "file://"+filepath.ToSlash(singlePage))
	if got := drawSeven(t, ctx); got != "7" {
		t.Errorf("single file: a drawn 7 read as %q", got)
	}
	if sw := eval[bool](t, ctx, `"serviceWorker" in navigator && navigator.serviceWorker.controller !== null`); sw {
		t.Error("the single file is controlled by a service worker")
	}
}

// TestInstallable asks Chromium, through DevTools, for the manifest's
// parse errors and the page's installability errors: there must be none.
func TestInstallable(t *testing.T) {
	ctx := browser(t, desktop)
	var manifest page.GetAppManifestResult
	var install page.GetInstallabilityErrorsResult
	check, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	err := chromedp.Do(check, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		var err error
		if manifest, err = cdp.Call(ctx, tg, page.GetAppManifest, page.GetAppManifestParams{}); err != nil {
			return fmt.Errorf("Page.getAppManifest: %w", err)
		}
		if install, err = cdp.Call(ctx, tg, page.GetInstallabilityErrors, cdp.Empty{}); err != nil {
			return fmt.Errorf("Page.getInstallabilityErrors: %w", err)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(manifest.URL, "/manifest.webmanifest") {
		t.Errorf("manifest URL %q, want .../manifest.webmanifest", manifest.URL)
	}
	for _, e := range manifest.Errors {
		t.Errorf("manifest error at %d:%d (critical %d): %s", e.Line, e.Column, e.Critical, e.Message)
	}
	m := manifest.Manifest
	if m == nil || m.Name == "" {
		t.Fatalf("Chromium parsed no manifest, or one without a name: %+v", m)
	}
	// The parsed manifest has Chromium's own names for display and
	// orientation and leaves out short_name and the icons' purpose; the
	// file has them all.
	var raw struct {
		ShortName   string `json:"short_name"`
		Display     string
		Orientation string
		Icons       []struct{ Sizes, Purpose string }
	}
	if err := json.Unmarshal([]byte(manifest.Data), &raw); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if raw.ShortName != "tegaki" || raw.Display != "standalone" || raw.Orientation != "portrait" {
		t.Errorf("manifest: short_name %q, display %q, orientation %q; want tegaki, standalone, portrait", raw.ShortName, raw.Display, raw.Orientation)
	}
	icons := map[string]bool{}
	for _, ic := range raw.Icons {
		icons[ic.Sizes+" "+cmp.Or(ic.Purpose, "any")] = true
	}
	for _, want := range []string{"192x192 any", "512x512 any", "512x512 maskable"} {
		if !icons[want] {
			t.Errorf("manifest has no %s icon (has %v)", want, icons)
		}
	}
	t.Logf("manifest %s: %q, %d icons parsed", manifest.URL, m.Name, len(m.Icons))
	for _, e := range install.InstallabilityErrors {
		var args []string
		for _, a := range e.ErrorArguments {
			args = append(args, a.Name+"="+a.Value)
		}
		t.Errorf("not installable: %s %v", e.ErrorID, args)
	}
}

// serve serves dir with tools/serve for the test; stop stops it sooner.
func serve(t *testing.T, dir string) (url string, stop func()) {
	t.Helper()
	url, stopServer, err := startServer(dir)
	if err != nil {
		t.Fatal(err)
	}
	stop = sync.OnceFunc(stopServer)
	t.Cleanup(stop)
	return url, stop
}

// cutNetwork makes the browser offline for the page and its service
// worker: every request that would go to the network fails.
func cutNetwork(t *testing.T, ctx context.Context) {
	t.Helper()
	offline := true
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &offline,
			MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
		})
		if err == nil {
			_, err = cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if err != nil {
			// Chromium before the rule-based emulation (Debian's 148 rejects
			// its parameters) has the older command, which cdproto no
			// longer names; the page's requests fail either way, and the
			// server is stopped, so the service worker's cache is all
			// there is.
			legacy := struct {
				Offline            bool    `json:"offline"`
				Latency            float64 `json:"latency"`
				DownloadThroughput float64 `json:"downloadThroughput"`
				UploadThroughput   float64 `json:"uploadThroughput"`
			}{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}
			if lerr := tg.Call(ctx, "Network.emulateNetworkConditions", legacy, nil); lerr != nil {
				return fmt.Errorf("%w (and the older command: %v)", err, lerr)
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("cut the network: %v", err)
	}
}

// drawSeven draws a 7 on the desktop layout and returns the digit the page
// reads.
func drawSeven(t *testing.T, ctx context.Context) string {
	t.Helper()
	seven := [][]trace.Point{{{X: 7, Y: 6}, {X: 21, Y: 6}, {X: 12, Y: 24}}}
	if err := chromedp.Do(ctx, pointer{}.draw(layout(desktop).Canvas, seven)...); err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	chromedp.Do(wait, chromedp.WaitReady(chromedp.CSS(`#prediction[data-digit="7"][aria-busy="false"]`)))
	digit, _, _ := prediction(t, ctx)
	return digit
}

// eval evaluates a JavaScript expression (awaiting it if it is a promise).
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitFor evaluates the JavaScript condition every 100 ms until it is true,
// for at most timeout. Errors, as while the page reloads, count as false.
func waitFor(t *testing.T, ctx context.Context, what, cond string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(c, chromedp.Evaluate[bool](cond, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s (last error: %v)", timeout, what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// copyDir copies the files of src into dst, keeping their modification
// times (tools/serve sends a .gz sibling only if it is as new as its file),
// as a deploy that uploads a new build over the old one does.
func copyDir(dst, src string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			return err
		}
		return os.Chtimes(to, st.ModTime(), st.ModTime())
	})
}

package digitapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/worker/digitapi"
	"github.com/tegaki/tegaki/wasm/worker/digitapi/digitapitest"
)

var (
	handlerOnce sync.Once
	handler     *digitapi.Handler
	handlerErr  error
)

// newHandler returns one Handler shared by the tests, as the Worker has.
func newHandler(t testing.TB) *digitapi.Handler {
	t.Helper()
	handlerOnce.Do(func() { handler, handlerErr = digitapi.New() })
	if handlerErr != nil {
		t.Fatal(handlerErr)
	}
	return handler
}

// do sends a request to the handler and returns the response with its
// body read.
func do(t testing.TB, h http.Handler, method, path, contentType string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	r := httptest.NewRequest(method, path, body)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// predict posts body and decodes a 200 answer.
func predict(t testing.TB, h http.Handler, contentType string, body []byte) digitapi.Prediction {
	t.Helper()
	res, b := do(t, h, "POST", "/api/predict", contentType, bytes.NewReader(body))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", contentType, res.StatusCode, b)
	}
	var p digitapi.Prediction
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("answer %s: %v", b, err)
	}
	return p
}

// mnistTest returns MNIST's test set, from the GoMNIST module.
func mnistTest(t testing.TB) *mnist.Set {
	t.Helper()
	_, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	return test
}

func TestModel(t *testing.T) {
	h := newHandler(t)
	res, b := do(t, h, "GET", "/api/model", "", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/model: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	var m digitapi.Model
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	info, err := pretrained.Describe()
	if err != nil {
		t.Fatal(err)
	}
	if m.SHA256 != info.SHA256 || m.Name != info.Name || m.Params != info.Params || m.TestAccuracy != info.TestAccuracy {
		t.Errorf("model %+v, want %+v", m, info)
	}
	if m.TestAccuracy < 0.99 || len(m.Architecture.Layers) == 0 || m.Architecture.Classes != 10 {
		t.Errorf("model %+v: want a 10-class architecture over 99%% accurate", m)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin %q, want *", got)
	}
	res, b = do(t, h, "HEAD", "/api/model", "", nil)
	if res.StatusCode != 200 || len(b) != 0 {
		t.Errorf("HEAD /api/model: %d with %d bytes, want 200 and none", res.StatusCode, len(b))
	}
}

// TestSameAnswer checks that a digit gets the same answer, bit for bit,
// from the API, from pretrained's Predictor and from tools/classify: as a
// PNG file, as pixels and as strokes. (The page's JS API is tested with
// the page.)
func TestSameAnswer(t *testing.T) {
	h := newHandler(t)
	c, err := pretrained.NewPredictor()
	if err != nil {
		t.Fatal(err)
	}
	test := mnistTest(t)
	dir := t.TempDir()
	classify := filepath.Join(dir, "classify")
	if out, err := exec.Command("go", "build", "-o", classify, "github.com/tegaki/tegaki/tools/classify").CombinedOutput(); err != nil {
		t.Fatalf("building tools/classify: %v\n%s", err, out)
	}

	type want struct {
		file string
		p    digitapi.Prediction
	}
	var files []string
	var answers []want
	for k, i := range digitapitest.Spread(10) {
		// As PNG files: one large and dark on light, one as MNIST stores it.
		for j, img := range []*image.Gray{digitapitest.Scanned(test, i, 4+k%3), digitapitest.Grey(test, i)} {
			file := filepath.Join(dir, fmt.Sprintf("%d-%d.png", i, j))
			b := digitapitest.EncodePNG(t, img)
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			p := predict(t, h, "image/png", b)
			cp := digitapitest.Predict(t, c, img)
			if p.Digit != cp.Digit || p.Probabilities != cp.Probabilities {
				t.Errorf("%s: API %d %v, Predictor %d %v", file, p.Digit, p.Probabilities, cp.Digit, cp.Probabilities)
			}
			files, answers = append(files, file), append(answers, want{file, p})
			// The same grey levels as pixels are the same picture.
			if j == 1 {
				if pp := predict(t, h, "application/json", digitapitest.PixelsJSON(img)); pp.Probabilities != p.Probabilities {
					t.Errorf("digit %d as pixels %v, as PNG %v", i, pp.Probabilities, p.Probabilities)
				}
			}
		}
	}

	cmd := exec.Command(classify, append([]string{"-json"}, files...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("classify: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(answers) {
		t.Fatalf("classify printed %d lines for %d files", len(lines), len(answers))
	}
	for k, line := range lines {
		var r struct {
			File          string
			Digit         int
			Probabilities []float32
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("classify line %q: %v", line, err)
		}
		w := answers[k]
		if r.File != w.file || r.Digit != w.p.Digit || [10]float32(r.Probabilities) != w.p.Probabilities {
			t.Errorf("%s: classify %d %v, API %d %v", w.file, r.Digit, r.Probabilities, w.p.Digit, w.p.Probabilities)
		}
	}

	// Strokes: a 7 and a 1 as the page sends them.
	for _, s := range []string{
		`{"strokes": [[[60, 60], [220, 60], [120, 240]]], "width": 18}`,
		`{"strokes": [[[100, 20], [102, 200]]], "width": 12}`,
	} {
		var req digitapi.Request
		if err := json.Unmarshal([]byte(s), &req); err != nil {
			t.Fatal(err)
		}
		var strokes []digit.Stroke
		for _, st := range req.Strokes {
			var ds digit.Stroke
			for _, pt := range st {
				ds = append(ds, digit.Point{X: pt[0], Y: pt[1]})
			}
			strokes = append(strokes, ds)
		}
		in, err := digit.FromStrokes(strokes, *req.Width)
		if err != nil {
			t.Fatal(err)
		}
		cp := c.Predict(in)
		if p := predict(t, h, "application/json", []byte(s)); p.Digit != cp.Digit || p.Probabilities != cp.Probabilities {
			t.Errorf("%s: API %d %v, Predictor %d %v", s, p.Digit, p.Probabilities, cp.Digit, cp.Probabilities)
		}
	}
}

// TestAccuracy posts MNIST test digits as pixels (white on black) and as
// PNG scans (black on white) and counts the right answers.
func TestAccuracy(t *testing.T) {
	h := newHandler(t)
	test := mnistTest(t)
	n := 200
	if testing.Short() {
		n = 50
	}
	var rightPixels, rightPNG int
	for _, i := range digitapitest.Spread(n) {
		if p := predict(t, h, "application/json", digitapitest.PixelsJSON(digitapitest.Grey(test, i))); p.Digit == int(test.Labels[i]) {
			rightPixels++
		}
		if p := predict(t, h, "image/png", digitapitest.EncodePNG(t, digitapitest.Scanned(test, i, 3))); p.Digit == int(test.Labels[i]) {
			rightPNG++
		}
	}
	t.Logf("%d MNIST test digits: %d right as pixels, %d as PNG", n, rightPixels, rightPNG)
	if min(rightPixels, rightPNG) < n*98/100 {
		t.Errorf("right as pixels %d/%d, as PNG %d/%d; want at least 98%%", rightPixels, n, rightPNG, n)
	}
}

func TestPreflight(t *testing.T) {
	h := newHandler(t)
	for _, path := range []string{"/api/predict", "/api/model"} {
		r := httptest.NewRequest("OPTIONS", path, nil)
		r.Header.Set("Origin", "https://example.org")
		r.Header.Set("Access-Control-Request-Method", "POST")
		r.Header.Set("Access-Control-Request-Headers", "content-type")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		hdr := w.Result().Header
		if w.Code != http.StatusNoContent || hdr.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(hdr.Get("Access-Control-Allow-Headers"), "Content-Type") || hdr.Get("Access-Control-Allow-Methods") == "" {
			t.Errorf("OPTIONS %s: %d %v", path, w.Code, hdr)
		}
	}
}

// endless is a body that never ends, counting what is read of it.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.n += int64(len(p))
	return len(p), nil
}

// TestReadsAtMostLimit sends a body of unknown length that never ends.
func TestReadsAtMostLimit(t *testing.T) {
	h := newHandler(t)
	body := &endless{}
	r := httptest.NewRequest("POST", "/api/predict", io.NopCloser(body))
	r.Header.Set("Content-Type", "application/json")
	if r.ContentLength != -1 && r.ContentLength != 0 {
		t.Fatalf("ContentLength %d, want unknown", r.ContentLength)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("endless body: %d %s, want 413", w.Code, w.Body)
	}
	// io.ReadAll asks for more than it needs; LimitReader passes on at most
	// the limit.
	if body.n > digitapi.MaxBody+1 {
		t.Errorf("read %d bytes of an endless body, want at most %d", body.n, digitapi.MaxBody+1)
	}
}

// TestConcurrent classifies from many goroutines at once, as the native
// handler may be asked to (run with -race).
func TestConcurrent(t *testing.T) {
	h := newHandler(t)
	seven := digitapitest.EncodePNG(t, digitapitest.SevenImage())
	want := predict(t, h, "image/png", seven)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				res, b := do(t, h, "POST", "/api/predict", "image/png", bytes.NewReader(seven))
				var p digitapi.Prediction
				if res.StatusCode != 200 || json.Unmarshal(b, &p) != nil || p.Probabilities != want.Probabilities {
					t.Errorf("concurrent: %d %s, want %v", res.StatusCode, b, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// FuzzPredict checks that no body, of any content type, gets a 500 or
// panics.
func FuzzPredict(f *testing.F) {
	h := newHandler(f)
	f.Add("image/png", digitapitest.EncodePNG(f, digitapitest.SevenImage()))
	f.Add("application/json", []byte(`{"strokes": [[[60, 60], [220, 60], [120, 240]]], "width": 18}`))
	f.Add("application/json", []byte(`{"pixels": [0, 255]}`))
	f.Add("image/gif", []byte("GIF89a\x01\x00\x01\x00"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		res, b := do(t, h, "POST", "/api/predict", contentType, bytes.NewReader(body))
		if res.StatusCode >= 500 {
			t.Errorf("%s %q: %d %s", contentType, body, res.StatusCode, b)
		}
	})
}

func TestBadInput(t *testing.T) {
	h := newHandler(t)
	seven := digitapitest.EncodePNG(t, digitapitest.SevenImage())
	// Methods that workerd refuses itself, with 501, before the Worker
	// sees them.
	native := []digitapitest.BadInput{
		{Name: "a method that is part of another", Method: "ST", Path: "/api/predict", ContentType: "image/png", Body: seven, Status: 405, Say: "POST", Allow: "POST, OPTIONS"},
		{Name: "lower-case post", Method: "post", Path: "/api/predict", ContentType: "image/png", Body: seven, Status: 405, Say: "POST", Allow: "POST, OPTIONS"},
	}
	for _, in := range append(digitapitest.BadInputs(t), native...) {
		res, b := do(t, h, in.Method, in.Path, in.ContentType, bytes.NewReader(in.Body))
		digitapitest.CheckBad(t, in, res, b)
	}
}

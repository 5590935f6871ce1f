package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
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
	"github.com/tegaki/tegaki/nn/pretrained"
)

var (
	handlerOnce sync.Once
	handler     *Handler
	handlerErr  error
)

// newHandler returns one Handler shared by the tests, as the Worker has.
func newHandler(t testing.TB) *Handler {
	t.Helper()
	handlerOnce.Do(func() { handler, handlerErr = New() })
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
func predict(t testing.TB, h http.Handler, contentType string, body []byte) Prediction {
	t.Helper()
	res, b := do(t, h, "POST", "/api/predict", contentType, bytes.NewReader(body))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", contentType, res.StatusCode, b)
	}
	var p Prediction
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("answer %s: %v", b, err)
	}
	return p
}

// mnistTest returns MNIST's test set, from the GoMNIST module.
func mnistTest(t testing.TB) *mnist.Set {
	t.Helper()
	_, test, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return test
}

// spread returns n indices spread evenly over MNIST's test set: a fixed
// sample, not the first n, which are easier than the average.
func spread(n int) []int {
	idx := make([]int, n)
	for k := range idx {
		idx[k] = k*10000/n + k%7
	}
	return idx
}

// grey returns MNIST test digit i as a 28×28 image, white ink on black.
func grey(s *mnist.Set, i int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 28, 28))
	copy(g.Pix, s.Image(i))
	return g
}

// scanned renders MNIST test digit i as a scan would show it: scale times
// larger, black ink on white.
func scanned(s *mnist.Set, i, scale int) *image.Gray {
	src := s.Image(i)
	g := image.NewGray(image.Rect(0, 0, 28*scale, 28*scale))
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			g.Pix[y*g.Stride+x] = 255 - src[(y/scale)*28+x/scale]
		}
	}
	return g
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pixelsJSON(g *image.Gray) []byte {
	b, _ := json.Marshal(map[string][]uint16{"pixels": u16(g.Pix)})
	return b
}

func u16(p []uint8) []uint16 {
	v := make([]uint16, len(p))
	for i, x := range p {
		v[i] = uint16(x)
	}
	return v
}

func TestModel(t *testing.T) {
	h := newHandler(t)
	res, b := do(t, h, "GET", "/api/model", "", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/model: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	info := pretrained.Describe()
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
// from the API, from pretrained.Classifier and from tools/classify: as a
// PNG file, as pixels and as strokes. (The page's JS API is tested with
// the page.)
func TestSameAnswer(t *testing.T) {
	h := newHandler(t)
	c, err := pretrained.NewClassifier()
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
		p    Prediction
	}
	var files []string
	var api []want
	for k, i := range spread(10) {
		// As PNG files: one large and dark on light, one as MNIST stores it.
		for j, img := range []*image.Gray{scanned(test, i, 4+k%3), grey(test, i)} {
			file := filepath.Join(dir, fmt.Sprintf("%d-%d.png", i, j))
			b := encodePNG(t, img)
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			p := predict(t, h, "image/png", b)
			cp, _, err := c.Image(img)
			if err != nil {
				t.Fatal(err)
			}
			if p.Digit != cp.Digit || p.Probabilities != cp.Probabilities {
				t.Errorf("%s: API %d %v, Classifier %d %v", file, p.Digit, p.Probabilities, cp.Digit, cp.Probabilities)
			}
			files, api = append(files, file), append(api, want{file, p})
			// The same grey levels as pixels are the same picture.
			if j == 1 {
				if pp := predict(t, h, "application/json", pixelsJSON(img)); pp.Probabilities != p.Probabilities {
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
	if len(lines) != len(api) {
		t.Fatalf("classify printed %d lines for %d files", len(lines), len(api))
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
		w := api[k]
		if r.File != w.file || r.Digit != w.p.Digit || [10]float32(r.Probabilities) != w.p.Probabilities {
			t.Errorf("%s: classify %d %v, API %d %v", w.file, r.Digit, r.Probabilities, w.p.Digit, w.p.Probabilities)
		}
	}

	// Strokes: a 7 and a 1 as the page sends them.
	for _, s := range []string{
		`{"strokes": [[[60, 60], [220, 60], [120, 240]]], "width": 18}`,
		`{"strokes": [[[100, 20], [102, 200]]], "width": 12}`,
	} {
		var req Request
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
		cp, _, err := c.Strokes(strokes, *req.Width)
		if err != nil {
			t.Fatal(err)
		}
		if p := predict(t, h, "application/json", []byte(s)); p.Digit != cp.Digit || p.Probabilities != cp.Probabilities {
			t.Errorf("%s: API %d %v, Classifier %d %v", s, p.Digit, p.Probabilities, cp.Digit, cp.Probabilities)
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
	for _, i := range spread(n) {
		if p := predict(t, h, "application/json", pixelsJSON(grey(test, i))); p.Digit == int(test.Labels[i]) {
			rightPixels++
		}
		if p := predict(t, h, "image/png", encodePNG(t, scanned(test, i, 3))); p.Digit == int(test.Labels[i]) {
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

// A badInput is a request the API must refuse, and how.
type badInput struct {
	name        string
	method      string
	path        string
	contentType string
	body        []byte
	status      int
	say         string // in the error message
	allow       string // the Allow header of a 405
}

// badInputs returns every kind of bad request, for this test and the
// Worker's.
func badInputs(t testing.TB) []badInput {
	blank := encodePNG(t, image.NewGray(image.Rect(0, 0, 64, 64)))
	// 2048×2049 is just over 4 megapixels; all black, it compresses to a
	// few kilobytes.
	huge := encodePNG(t, image.NewGray(image.Rect(0, 0, 2048, 2049)))
	wide := encodePNG(t, image.NewGray(image.Rect(0, 0, digit.MaxSide+1, 1)))
	seven := encodePNG(t, sevenImage())
	pixels := func(v string, n int) []byte {
		return []byte(`{"pixels": [` + strings.TrimSuffix(strings.Repeat(v+",", n), ",") + `]}`)
	}
	var many strings.Builder
	many.WriteString(`{"width": 2, "strokes": [[`)
	for i := range 10_001 {
		if i > 0 {
			many.WriteByte(',')
		}
		fmt.Fprintf(&many, "[%d,%d]", i%100, i/100)
	}
	many.WriteString(`]]}`)

	return []badInput{
		{"GET predict", "GET", "/api/predict", "", nil, 405, "POST", "POST, OPTIONS"},
		{"PUT predict", "PUT", "/api/predict", "image/png", seven, 405, "POST", "POST, OPTIONS"},
		{"POST model", "POST", "/api/model", "application/json", []byte(`{}`), 405, "GET", "GET, HEAD, OPTIONS"},
		{"DELETE model", "DELETE", "/api/model", "", nil, 405, "GET", "GET, HEAD, OPTIONS"},
		{"unknown endpoint", "GET", "/api/nothing", "", nil, 404, "no such endpoint", ""},
		{"no content type", "POST", "/api/predict", "", seven, 415, "content type none", ""},
		{"text", "POST", "/api/predict", "text/plain", []byte("7"), 415, "text/plain", ""},
		{"form (curl's default)", "POST", "/api/predict", "application/x-www-form-urlencoded", seven, 415, "application/x-www-form-urlencoded", ""},
		{"TIFF", "POST", "/api/predict", "image/tiff", seven, 415, "image/tiff", ""},
		{"malformed content type", "POST", "/api/predict", "image/png; =", seven, 415, "content type", ""},
		{"over 1 MiB", "POST", "/api/predict", "image/png", make([]byte, MaxBody+1), 413, "1 MiB", ""},
		{"over 1 MiB of JSON", "POST", "/api/predict", "application/json", bytes.Repeat([]byte(" "), 3*MaxBody), 413, "1 MiB", ""},
		{"over 4 megapixels", "POST", "/api/predict", "image/png", huge, 413, "2048×2049", ""},
		{"over 8192 wide", "POST", "/api/predict", "image/png", wide, 413, "8193×1", ""},
		{"too many points", "POST", "/api/predict", "application/json", []byte(many.String()), 413, "10001 points", ""},
		{"empty image", "POST", "/api/predict", "image/png", nil, 400, "empty body", ""},
		{"empty JSON", "POST", "/api/predict", "application/json", nil, 400, "empty body", ""},
		{"not an image", "POST", "/api/predict", "image/png", []byte("seven"), 400, "not a readable", ""},
		{"1 MiB of zeros", "POST", "/api/predict", "image/jpeg", make([]byte, MaxBody), 400, "not a readable", ""},
		{"truncated PNG", "POST", "/api/predict", "image/png", seven[:len(seven)/2], 400, "png", ""},
		{"malformed JSON", "POST", "/api/predict", "application/json", []byte(`{"pixels": [1, 2`), 400, "malformed JSON", ""},
		{"JSON array", "POST", "/api/predict", "application/json", []byte(`[1, 2, 3]`), 400, "malformed JSON", ""},
		{"unknown field", "POST", "/api/predict", "application/json", []byte(`{"image": "seven.png"}`), 400, "unknown field", ""},
		{"two objects", "POST", "/api/predict", "application/json", []byte(`{} {}`), 400, "more after", ""},
		{"pixels as text", "POST", "/api/predict", "application/json", []byte(`{"pixels": "AAAA"}`), 400, "malformed JSON", ""},
		{"neither pixels nor strokes", "POST", "/api/predict", "application/json", []byte(`{}`), 422, "neither", ""},
		{"null pixels", "POST", "/api/predict", "application/json", []byte(`{"pixels": null}`), 422, "neither", ""},
		{"both", "POST", "/api/predict", "application/json", []byte(`{"pixels": [], "strokes": []}`), 422, "both", ""},
		{"783 pixels", "POST", "/api/predict", "application/json", pixels("0", 783), 422, "783 pixels", ""},
		{"pixel over 255", "POST", "/api/predict", "application/json", pixels("256", 784), 422, "256", ""},
		{"negative pixel", "POST", "/api/predict", "application/json", pixels("-1", 784), 422, "-1", ""},
		{"fractional pixel", "POST", "/api/predict", "application/json", pixels("0.5", 784), 422, "0.5", ""},
		{"pixels with width", "POST", "/api/predict", "application/json", []byte(`{"pixels": [], "width": 3}`), 422, "width", ""},
		{"blank pixels", "POST", "/api/predict", "application/json", pixels("255", 784), 422, "no digit", ""},
		{"blank image", "POST", "/api/predict", "image/png", blank, 422, "no digit", ""},
		{"no strokes", "POST", "/api/predict", "application/json", []byte(`{"strokes": [], "width": 10}`), 422, "no digit", ""},
		{"a dot", "POST", "/api/predict", "application/json", []byte(`{"strokes": [[[5, 5]]], "width": 10}`), 422, "no digit", ""},
		{"strokes without width", "POST", "/api/predict", "application/json", []byte(`{"strokes": [[[0, 0], [9, 9]]]}`), 422, "width", ""},
		{"zero width", "POST", "/api/predict", "application/json", []byte(`{"strokes": [[[0, 0], [9, 9]]], "width": 0}`), 422, "width", ""},
		{"point of three numbers", "POST", "/api/predict", "application/json", []byte(`{"strokes": [[[0, 0, 1]]], "width": 3}`), 422, "[x, y]", ""},
	}
}

// sevenImage is a 7 drawn in black on white.
func sevenImage() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 100, 100))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for y := 15; y < 25; y++ {
		for x := 20; x < 80; x++ {
			g.SetGray(x, y, color.Gray{})
		}
	}
	for y := 25; y < 90; y++ {
		x := 80 - (y-25)*40/65
		for dx := -5; dx < 5; dx++ {
			g.SetGray(x+dx, y, color.Gray{})
		}
	}
	return g
}

func TestBadInput(t *testing.T) {
	h := newHandler(t)
	for _, in := range badInputs(t) {
		res, b := do(t, h, in.method, in.path, in.contentType, bytes.NewReader(in.body))
		checkBad(t, in, res, b)
	}
}

// checkBad checks the answer to a bad request.
func checkBad(t *testing.T, in badInput, res *http.Response, b []byte) {
	t.Helper()
	var e struct{ Error string }
	err := json.Unmarshal(b, &e)
	if res.StatusCode != in.status || err != nil || !strings.Contains(e.Error, in.say) {
		t.Errorf("%s: %d %q, want %d and an error that says %q", in.name, res.StatusCode, b, in.status, in.say)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", in.name, ct)
	}
	if got := res.Header.Get("Allow"); got != in.allow {
		t.Errorf("%s: Allow %q, want %q", in.name, got, in.allow)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("%s: Access-Control-Allow-Origin %q, want *", in.name, got)
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
	if body.n > MaxBody+1 {
		t.Errorf("read %d bytes of an endless body, want at most %d", body.n, MaxBody+1)
	}
}

// TestConcurrent classifies from many goroutines at once, as the native
// handler may be asked to (run with -race).
func TestConcurrent(t *testing.T) {
	h := newHandler(t)
	seven := encodePNG(t, sevenImage())
	want := predict(t, h, "image/png", seven)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				res, b := do(t, h, "POST", "/api/predict", "image/png", bytes.NewReader(seven))
				var p Prediction
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
	f.Add("image/png", encodePNG(f, sevenImage()))
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

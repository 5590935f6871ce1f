// Package digitapitest has what the API's tests and the Worker's integration
// test share: MNIST digits as the API's inputs, and every kind of bad
// request with the answer it must get.
package digitapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/worker/digitapi"
)

// Predict prepares img as the API prepares every picture and classifies it
// with p: the answer the API must give, worked out without it.
func Predict(t testing.TB, p *pretrained.Predictor, img image.Image) pretrained.Prediction {
	t.Helper()
	in, err := digit.FromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	return p.Predict(in)
}

// Spread returns n indices spread evenly over MNIST's test set: a fixed
// sample, not the first n, which are easier than the average.
func Spread(n int) []int {
	idx := make([]int, n)
	for k := range idx {
		idx[k] = k*10000/n + k%7
	}
	return idx
}

// Grey returns MNIST test digit i as a 28×28 image, white ink on black.
func Grey(s *mnist.Set, i int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 28, 28))
	copy(g.Pix, s.Image(i))
	return g
}

// Scanned renders MNIST test digit i as a scan would show it: scale times
// larger, black ink on white.
func Scanned(s *mnist.Set, i, scale int) *image.Gray {
	src := s.Image(i)
	g := image.NewGray(image.Rect(0, 0, 28*scale, 28*scale))
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			g.Pix[y*g.Stride+x] = 255 - src[(y/scale)*28+x/scale]
		}
	}
	return g
}

// EncodePNG encodes img as a PNG file.
func EncodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// PixelsJSON is the JSON body {"pixels": [...]} of a 28×28 grey image.
func PixelsJSON(g *image.Gray) []byte {
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

// A BadInput is a request the API must refuse, and how.
type BadInput struct {
	Name        string
	Method      string
	Path        string
	ContentType string
	Body        []byte
	Status      int
	Say         string // in the error message
	Allow       string // the Allow header of a 405
}

// BadInputs returns every kind of bad request, for the API's tests and
// the Worker's.
func BadInputs(t testing.TB) []BadInput {
	blank := EncodePNG(t, image.NewGray(image.Rect(0, 0, 64, 64)))
	// 2048×2049 is just over 4 megapixels; all black, it compresses to a
	// few kilobytes.
	huge := EncodePNG(t, image.NewGray(image.Rect(0, 0, 2048, 2049)))
	wide := EncodePNG(t, image.NewGray(image.Rect(0, 0, digit.MaxSide+1, 1)))
	seven := EncodePNG(t, SevenImage())
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

	return []BadInput{
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
		{"over 1 MiB", "POST", "/api/predict", "image/png", make([]byte, digitapi.MaxBody+1), 413, "1 MiB", ""},
		{"over 1 MiB of JSON", "POST", "/api/predict", "application/json", bytes.Repeat([]byte(" "), 3*digitapi.MaxBody), 413, "1 MiB", ""},
		{"over 4 megapixels", "POST", "/api/predict", "image/png", huge, 413, "2048×2049", ""},
		{"over 8192 wide", "POST", "/api/predict", "image/png", wide, 413, "8193×1", ""},
		{"too many points", "POST", "/api/predict", "application/json", []byte(many.String()), 413, "10001 points", ""},
		{"empty image", "POST", "/api/predict", "image/png", nil, 400, "empty body", ""},
		{"empty JSON", "POST", "/api/predict", "application/json", nil, 400, "empty body", ""},
		{"not an image", "POST", "/api/predict", "image/png", []byte("seven"), 400, "not a readable", ""},
		{"1 MiB of zeros", "POST", "/api/predict", "image/jpeg", make([]byte, digitapi.MaxBody), 400, "not a readable", ""},
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

// SevenImage is a 7 drawn in black on white.
func SevenImage() *image.Gray {
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

// CheckBad checks the answer to a bad request.
func CheckBad(t testing.TB, in BadInput, res *http.Response, b []byte) {
	t.Helper()
	var e struct{ Error string }
	err := json.Unmarshal(b, &e)
	if res.StatusCode != in.Status || err != nil || !strings.Contains(e.Error, in.Say) {
		t.Errorf("%s: %d %q, want %d and an error that says %q", in.Name, res.StatusCode, b, in.Status, in.Say)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", in.Name, ct)
	}
	if got := res.Header.Get("Allow"); got != in.Allow {
		t.Errorf("%s: Allow %q, want %q", in.Name, got, in.Allow)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("%s: Access-Control-Allow-Origin %q, want *", in.Name, got)
	}
}

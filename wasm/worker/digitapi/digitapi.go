// Package digitapi is tegaki's HTTP API for reading digits: the
// http.Handler that the Cloudflare Worker (package main in the folder
// above) serves, kept in plain Go so that it builds and tests natively
// with net/http/httptest.
//
// # Endpoints
//
// POST /api/predict classifies one digit. The request's Content-Type says
// what the body is:
//
//   - image/png, image/jpeg, image/gif, image/bmp (or image/x-ms-bmp) or
//     image/webp: an image file of one digit, in any size and colours, up
//     to MaxImagePixels pixels. The format is read from the bytes; the
//     content type only has to be one of these.
//   - application/json with "pixels": 784 integers from 0 to 255, a 28×28
//     grey picture row by row from the top left. It is treated as any
//     other picture (digit.FromImage): either polarity works, white ink on
//     black as MNIST stores its digits or black ink on white as a scan
//     looks, and the digit need not be centred or sized as MNIST's are.
//   - application/json with "strokes" and "width": the digit as drawn, a
//     list of strokes, each a list of [x, y] points from pen down to pen
//     up, and the width of the round pen in the same unit as the points
//     (CSS pixels, say). Only the shape matters, not the position or
//     scale. This is digit.FromStrokes, what the page does with a drawing.
//
// For example {"pixels": [0, 0, ..., 0]} or {"strokes": [[[60, 60], [220,
// 60], [120, 240]]], "width": 18}. A JSON body has exactly one of "pixels"
// and "strokes"; other fields are refused.
//
// The answer is 200 with
//
//	{"digit": 7, "probabilities": [10 numbers, digits 0 to 9, summing to 1],
//	 "model": {"name": "...", "sha256": "..."}}
//
// GET /api/model describes the embedded model (Model): its name, the
// SHA-256 of its weights file, the architecture, the number of trained
// values and the accuracy on MNIST's test set.
//
// # Errors
//
// Every error is JSON {"error": "what was wrong"} with one of these
// statuses; nothing a client sends gives a 500.
//
//   - 400 Bad Request: the body is empty, is not valid JSON of the shape
//     above, or is not a readable image file.
//   - 405 Method Not Allowed, with an Allow header.
//   - 413 Content Too Large: the body is over MaxBody bytes, the image over
//     MaxImagePixels pixels or digit.MaxSide on a side, or the strokes over
//     digit.FromStrokes' 10,000 points.
//   - 415 Unsupported Media Type: a content type other than those above
//     (curl's --data-binary sends application/x-www-form-urlencoded unless
//     told otherwise with -H).
//   - 422 Unprocessable Content: well-formed but unusable: pixels not 784
//     integers from 0 to 255, a pen width that is not positive, a point
//     that is not two numbers, or a picture or drawing that holds no digit
//     (blank, too faint, a dot).
//   - 404 Not Found for other paths: under /api/, and those that match no
//     file of the site.
//
// # CORS
//
// Every response allows any origin (Access-Control-Allow-Origin: *), and
// OPTIONS answers preflight requests, so pages elsewhere can call the API
// with fetch. No credentials are involved.
//
// # Memory
//
// A Worker has 128 MB. The body is read up to MaxBody (1 MiB) and one byte
// more, never further. An image's size is read from its header before any
// pixel is decoded, and images over MaxImagePixels (4 megapixels, about 25
// MB to decode and prepare) are refused: package digit's own limit, 40
// megapixels, could need some 160 MB. At most two images are decoded at
// once: four 2048×2048 colour PNGs posted together take the Worker's Go
// memory to about 53 MB (measured in wrangler dev).
package digitapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/digit/imagefile"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// Limits on one request.
const (
	// MaxBody is the largest request body, in bytes.
	MaxBody = 1 << 20
	// MaxImagePixels is the most pixels an image may have, a tenth of
	// digit.MaxPixels, so that decoding fits in a Worker's memory.
	MaxImagePixels = 4 << 20
	// maxDecodes is how many images are decoded at once.
	maxDecodes = 2
)

// imageTypes are the content types of the image files that POST
// /api/predict reads.
var imageTypes = map[string]bool{
	"image/png":      true,
	"image/jpeg":     true,
	"image/gif":      true,
	"image/bmp":      true,
	"image/x-ms-bmp": true,
	"image/webp":     true,
}

// A Prediction is the answer of POST /api/predict: the network's
// prediction and the model that made it.
type Prediction struct {
	pretrained.Prediction
	Model ModelID `json:"model"`
}

// ModelID names the model that answered.
type ModelID struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// Model is the answer of GET /api/model.
type Model struct {
	Name         string            `json:"name"`
	SHA256       string            `json:"sha256"`
	TestAccuracy float64           `json:"test_accuracy"` // on MNIST's 10,000 test digits, from 0 to 1
	Params       int               `json:"params"`        // trained values
	Architecture Architecture      `json:"architecture"`
	Metadata     map[string]string `json:"metadata,omitempty"` // as written by tools/train
}

// Architecture summarises the network: its input shape, its layers in
// order, each as a short description ("conv 32 3x3 pad 1", "relu"), and
// the number of classes.
type Architecture struct {
	Input   []int    `json:"input"`
	Layers  []string `json:"layers"`
	Classes int      `json:"classes"`
}

// Request is the JSON body of POST /api/predict: Pixels, or Strokes with
// Width.
type Request struct {
	Pixels  []float64     `json:"pixels,omitempty"`  // 784 integers from 0 to 255
	Strokes [][][]float64 `json:"strokes,omitempty"` // strokes of [x, y] points
	Width   *float64      `json:"width,omitempty"`   // pen width, in the unit of the points
}

// errorBody is the JSON of every error.
type errorBody struct {
	Error string `json:"error"`
}

// An httpError is an error with the status it is answered with.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) *httpError {
	return &httpError{status, fmt.Sprintf(format, args...)}
}

// Handler serves the API. Make one with New; it is safe for concurrent
// use.
type Handler struct {
	id      ModelID
	modelJS []byte // the answer of GET /api/model

	// Predictors, one for each request in flight: copies of the model
	// parsed once, so that requests never wait for each other's network.
	predictors sync.Pool

	decodes chan struct{} // a token per image being decoded
}

// New returns a Handler with the embedded model, which it parses once.
func New() (*Handler, error) {
	info, err := pretrained.Describe()
	if err != nil {
		return nil, err
	}
	first, err := pretrained.NewPredictor()
	if err != nil {
		return nil, err
	}
	m := Model{
		Name:         info.Name,
		SHA256:       info.SHA256,
		TestAccuracy: info.TestAccuracy,
		Params:       info.Params,
		Architecture: summarize(info.Spec),
		Metadata:     info.Metadata,
	}
	js, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	h := &Handler{
		id:      ModelID{Name: m.Name, SHA256: m.SHA256},
		modelJS: append(js, '\n'),
		decodes: make(chan struct{}, maxDecodes),
	}
	h.predictors.Put(first)
	return h, nil
}

// predictor returns a Predictor for one request, to be put back after.
func (h *Handler) predictor() (*pretrained.Predictor, error) {
	if p, ok := h.predictors.Get().(*pretrained.Predictor); ok {
		return p, nil
	}
	return pretrained.NewPredictor()
}

// summarize describes a network's architecture in a few words a layer.
func summarize(s nn.Spec) Architecture {
	a := Architecture{Input: s.Input, Classes: s.Classes, Layers: []string{}}
	for _, l := range s.Layers {
		var b strings.Builder
		b.WriteString(l.Type)
		if l.Out > 0 {
			fmt.Fprintf(&b, " %d", l.Out)
		}
		if l.Kernel > 0 {
			fmt.Fprintf(&b, " %dx%d", l.Kernel, l.Kernel)
		}
		if l.Stride > 0 {
			fmt.Fprintf(&b, " stride %d", l.Stride)
		}
		if l.Pad > 0 {
			fmt.Fprintf(&b, " pad %d", l.Pad)
		}
		if l.Rate > 0 {
			fmt.Fprintf(&b, " rate %g", l.Rate)
		}
		a.Layers = append(a.Layers, b.String())
	}
	return a
}

// ServeHTTP answers the API's requests.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Access-Control-Allow-Origin", "*")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cache-Control", "no-store")

	var allow string
	var ok bool // whether the method is allowed
	switch r.URL.Path {
	case "/api/predict":
		allow, ok = "POST, OPTIONS", r.Method == http.MethodPost
	case "/api/model":
		allow, ok = "GET, HEAD, OPTIONS", r.Method == http.MethodGet || r.Method == http.MethodHead
	default:
		writeError(w, errorf(http.StatusNotFound, "no such endpoint %q: the API has POST /api/predict and GET /api/model", r.URL.Path))
		return
	}
	if r.Method == http.MethodOptions {
		hdr.Set("Allow", allow)
		hdr.Set("Access-Control-Allow-Methods", allow)
		hdr.Set("Access-Control-Allow-Headers", "Content-Type")
		hdr.Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if !ok {
		hdr.Set("Allow", allow)
		writeError(w, errorf(http.StatusMethodNotAllowed, "method %s not allowed for %s: use %s", r.Method, r.URL.Path, allow))
		return
	}
	if r.URL.Path == "/api/model" {
		hdr.Set("Content-Type", "application/json")
		if r.Method == http.MethodGet {
			hdr.Set("Content-Length", strconv.Itoa(len(h.modelJS)))
			w.Write(h.modelJS)
		}
		return
	}
	p, err := h.predict(r)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// predict reads, prepares and classifies the body of a POST /api/predict.
func (h *Handler) predict(r *http.Request) (*Prediction, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || !(imageTypes[mt] || mt == "application/json") {
		if ct == "" {
			ct = "none"
		}
		return nil, errorf(http.StatusUnsupportedMediaType,
			"content type %s: send an image (image/png, image/jpeg, image/gif, image/bmp, image/webp) or application/json", ct)
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	var in *digit.Input
	if mt == "application/json" {
		in, err = fromJSON(body)
	} else {
		in, err = h.fromImage(body)
	}
	if err != nil {
		return nil, err
	}
	pred, err := h.predictor()
	if err != nil {
		return nil, err // a 500: the model parsed in New
	}
	p := pred.Predict(in)
	h.predictors.Put(pred)
	return &Prediction{Prediction: p, Model: h.id}, nil
}

// readBody reads the request body, refusing one over MaxBody bytes
// without reading more than one byte past it.
func readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBody {
		return nil, tooLarge(r.ContentLength)
	}
	if r.Body == nil {
		return nil, errorf(http.StatusBadRequest, "empty body: send an image or JSON")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "reading the body: %v", err)
	}
	if len(body) > MaxBody {
		return nil, tooLarge(-1)
	}
	if len(body) == 0 {
		return nil, errorf(http.StatusBadRequest, "empty body: send an image or JSON")
	}
	return body, nil
}

func tooLarge(n int64) error {
	if n < 0 {
		return errorf(http.StatusRequestEntityTooLarge, "body over %d bytes (1 MiB)", MaxBody)
	}
	return errorf(http.StatusRequestEntityTooLarge, "body of %d bytes, over %d (1 MiB)", n, MaxBody)
}

// fromImage decodes an image file, which imagefile refuses from its header
// if it is over MaxImagePixels, and prepares it as package digit does
// every picture.
func (h *Handler) fromImage(body []byte) (*digit.Input, error) {
	h.decodes <- struct{}{}
	defer func() { <-h.decodes }()
	in, err := imagefile.Input(bytes.NewReader(body), MaxImagePixels)
	switch {
	case errors.Is(err, imagefile.ErrFormat):
		return nil, errorf(http.StatusBadRequest, "not a readable PNG, JPEG, GIF, BMP or WebP file: %v", err)
	case err != nil && !errors.Is(err, digit.ErrTooLarge) && !errors.Is(err, digit.ErrNoInk):
		return nil, errorf(http.StatusBadRequest, "%v", err)
	}
	return in, inputError(err)
}

// fromJSON reads a JSON body of pixels or strokes and prepares it.
func fromJSON(body []byte) (*digit.Input, error) {
	var req Request
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, errorf(http.StatusBadRequest, "malformed JSON: %v; want {\"pixels\": [784 integers 0 to 255]} or {\"strokes\": [[[x, y], ...], ...], \"width\": w}", err)
	}
	if dec.More() {
		return nil, errorf(http.StatusBadRequest, "malformed JSON: more after the object")
	}
	switch {
	case req.Pixels != nil && req.Strokes != nil:
		return nil, errorf(http.StatusUnprocessableEntity, "both pixels and strokes: send one")
	case req.Pixels != nil:
		if req.Width != nil {
			return nil, errorf(http.StatusUnprocessableEntity, "width goes with strokes, not pixels")
		}
		return fromPixels(req.Pixels)
	case req.Strokes != nil:
		return fromStrokes(req.Strokes, req.Width)
	}
	return nil, errorf(http.StatusUnprocessableEntity, "neither pixels nor strokes: want {\"pixels\": [784 integers 0 to 255]} or {\"strokes\": [[[x, y], ...], ...], \"width\": w}")
}

// fromPixels prepares 28×28 grey levels as a picture, in either polarity.
func fromPixels(pixels []float64) (*digit.Input, error) {
	if len(pixels) != digit.Size*digit.Size {
		return nil, errorf(http.StatusUnprocessableEntity, "%d pixels, want %d (28×28, row by row)", len(pixels), digit.Size*digit.Size)
	}
	img := image.NewGray(image.Rect(0, 0, digit.Size, digit.Size))
	for i, v := range pixels {
		if !(v >= 0 && v <= 255) || v != math.Trunc(v) {
			return nil, errorf(http.StatusUnprocessableEntity, "pixel %d (row %d, column %d) is %v, want an integer from 0 to 255", i, i/digit.Size, i%digit.Size, v)
		}
		img.Pix[i] = uint8(v)
	}
	in, err := digit.FromImage(img)
	return in, inputError(err)
}

// fromStrokes prepares a drawing.
func fromStrokes(strokes [][][]float64, width *float64) (*digit.Input, error) {
	if width == nil {
		return nil, errorf(http.StatusUnprocessableEntity, "strokes without width: give the pen width in the unit of the points")
	}
	if !(*width > 0) || math.IsInf(*width, 1) {
		return nil, errorf(http.StatusUnprocessableEntity, "width %v: want a positive number, the pen width in the unit of the points", *width)
	}
	ss := make([]digit.Stroke, len(strokes))
	for i, s := range strokes {
		ss[i] = make(digit.Stroke, len(s))
		for j, p := range s {
			if len(p) != 2 {
				return nil, errorf(http.StatusUnprocessableEntity, "stroke %d, point %d has %d numbers, want [x, y]", i, j, len(p))
			}
			ss[i][j] = digit.Point{X: p[0], Y: p[1]}
		}
	}
	in, err := digit.FromStrokes(ss, *width)
	return in, inputError(err)
}

// statuses are the HTTP statuses of digit.Code's codes.
var statuses = map[string]int{
	digit.CodeNoDigit:  http.StatusUnprocessableEntity,
	digit.CodeTooLarge: http.StatusRequestEntityTooLarge,
	digit.CodeBadInput: http.StatusUnprocessableEntity,
}

// inputError gives an error from package digit its status.
func inputError(err error) error {
	if err == nil {
		return nil
	}
	return errorf(statuses[digit.Code(err)], "%v", err)
}

func writeError(w http.ResponseWriter, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		he = &httpError{http.StatusInternalServerError, err.Error()}
	}
	writeJSON(w, he.status, errorBody{he.msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // not for the types above
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding the answer"}`)
	}
	b = append(b, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

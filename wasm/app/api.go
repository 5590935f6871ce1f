//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"image"
	"strconv"
	"syscall/js"
	"time"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/app/msg"
	"github.com/tegaki/tegaki/wasm/app/session"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// The page's JS API, window.tegaki, is defined by site/tegaki.js, which
// documents it. This file is its Go half: site/tegaki.js defines
// window.__tegakiConnect, and connectAPI hands it a bridge object:
//
//	classifyRGBA(width, height, data)  data: RGBA bytes (ImageData's), not premultiplied
//	classifyGrey(data)                 data: 784 grey levels, a Uint8Array
//	    both return {digit, probabilities} or {error, code}, code being
//	    "no-digit", "too-large" or "bad-input"
//	explainRGBA(digit, width, height, data), explainGrey(digit, data)
//	    the same inputs; return {map: 784 numbers} (pretrained.Map of
//	    digit, or of the answer if digit is -1) or {error, code}
//	opening()                          an image is being decoded: #prediction is busy
//	open(width, height, data)          show this picture and what it holds
//	fail(message)                      opening failed: show message
//	clear()                            clear the drawing (or picture)
//	model                              {name, sha256, testAccuracy, params}
//	maxSide, maxPixels                 the largest image classify and open take
//
// __tegakiConnect returns a function emit(digit, probabilities) that the app
// calls on each new result it shows, for the tegaki:prediction event.
//
// JS callbacks run between the game loop's frames, never during one, but
// they must not change the game's state behind Update's back: classify
// uses its own Predictor, and open and clear post commands to an inbox
// that Update empties.

// emitPrediction is tegaki.js's emit(digit, probabilities), or undefined
// without tegaki.js.
var emitPrediction = js.Undefined()

// api answers the page's JS calls with its own network.
type api struct {
	p     *pretrained.Predictor
	inbox *session.Inbox
}

// connectAPI hands the bridge to site/tegaki.js, which resolves
// tegaki.ready. Without tegaki.js it does nothing.
func connectAPI(in *session.Inbox, info pretrained.Info) error {
	connect := js.Global().Get("__tegakiConnect")
	if connect.Type() != js.TypeFunction {
		return nil
	}
	p, err := pretrained.NewPredictor()
	if err != nil {
		return err
	}
	a := &api{p: p, inbox: in}
	emitPrediction = connect.Invoke(map[string]any{
		"classifyRGBA": js.FuncOf(a.classifyRGBA),
		"classifyGrey": js.FuncOf(a.classifyGrey),
		"explainRGBA":  js.FuncOf(a.explainRGBA),
		"explainGrey":  js.FuncOf(a.explainGrey),
		"opening":      js.FuncOf(a.opening),
		"open":         js.FuncOf(a.open),
		"fail":         js.FuncOf(a.fail),
		"clear":        js.FuncOf(a.clear),
		"model": map[string]any{
			"name":         info.Name,
			"sha256":       info.SHA256,
			"testAccuracy": info.TestAccuracy,
			"params":       info.Params,
		},
		"maxSide":   digit.MaxSide,
		"maxPixels": digit.MaxPixels,
	})
	return nil
}

// apiError is the {error, code} that tegaki.js throws as an Error.
func apiError(code, format string, args ...any) map[string]any {
	return map[string]any{"error": fmt.Sprintf(format, args...), "code": code}
}

// inputError turns a preparation error into an API error, with its code
// from digit.Code.
func inputError(err error) map[string]any {
	return apiError(digit.Code(err), "%s", reason(err))
}

// reason says what was wrong with an input, for people: a digit.Error's
// Reason, without the package's name.
func reason(err error) string {
	var de *digit.Error
	if errors.As(err, &de) {
		return de.Reason
	}
	return err.Error()
}

// rgba copies ImageData-style pixels into an NRGBA image, checking the
// arguments.
func rgba(args []js.Value) (*image.NRGBA, map[string]any) {
	if len(args) != 3 || args[0].Type() != js.TypeNumber || args[1].Type() != js.TypeNumber {
		return nil, apiError(digit.CodeBadInput, "want width, height and RGBA bytes")
	}
	w, h := args[0].Int(), args[1].Int()
	if w <= 0 || h <= 0 {
		return nil, apiError(digit.CodeBadInput, "an empty image (%d×%d pixels)", w, h)
	}
	if err := digit.CheckSize(int64(w), int64(h)); err != nil {
		return nil, inputError(err)
	}
	data := args[2]
	if !data.InstanceOf(js.Global().Get("Uint8ClampedArray")) && !data.InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, apiError(digit.CodeBadInput, "want the pixels as a Uint8ClampedArray")
	}
	if n := data.Get("length"); n.Type() != js.TypeNumber || n.Int() != 4*w*h {
		return nil, apiError(digit.CodeBadInput, "%d×%d pixels need %d RGBA bytes", w, h, 4*w*h)
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	js.CopyBytesToGo(img.Pix, data)
	return img, nil
}

// prediction is the JS value of a Prediction.
func prediction(p pretrained.Prediction) map[string]any {
	probs := make([]any, len(p.Probabilities))
	for i, v := range p.Probabilities {
		probs[i] = float64(v)
	}
	return map[string]any{"digit": p.Digit, "probabilities": probs}
}

func (a *api) classifyRGBA(_ js.Value, args []js.Value) any {
	img, bad := rgba(args)
	if bad != nil {
		return bad
	}
	return a.classify(img)
}

// classify prepares a picture and classifies it.
func (a *api) classify(img image.Image) any {
	in, err := digit.FromImage(img)
	if err != nil {
		return inputError(err)
	}
	return prediction(a.p.Predict(in))
}

func (a *api) classifyGrey(_ js.Value, args []js.Value) any {
	img, bad := grey(args)
	if bad != nil {
		return bad
	}
	return a.classify(img)
}

// grey copies 784 grey levels into a 28×28 image, checking the arguments.
func grey(args []js.Value) (*image.Gray, map[string]any) {
	const n = digit.Size * digit.Size
	if len(args) != 1 || args[0].Get("length").Type() != js.TypeNumber || args[0].Get("length").Int() != n {
		return nil, apiError(digit.CodeBadInput, "want %d grey levels (28×28, row by row)", n)
	}
	if !args[0].InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, apiError(digit.CodeBadInput, "want the grey levels as a Uint8Array")
	}
	img := image.NewGray(image.Rect(0, 0, digit.Size, digit.Size))
	js.CopyBytesToGo(img.Pix, args[0])
	return img, nil
}

func (a *api) opening(js.Value, []js.Value) any {
	a.inbox.Post(session.Command{Kind: session.CmdOpening})
	return nil
}

// open prepares and classifies an opened picture here, with the API's
// network, and passes the picture and its result to the game.
func (a *api) open(_ js.Value, args []js.Value) any {
	img, bad := rgba(args)
	if bad != nil {
		a.inbox.Post(session.Command{Kind: session.CmdOpen, Result: sketch.Blank(), Notice: msg.CantOpen, Message: fmt.Sprintf(lang.Text(msg.CouldNotOpen), bad["error"])})
		return nil
	}
	start := time.Now()
	in, err := digit.FromImage(img)
	c := session.Command{Kind: session.CmdOpen, Picture: img, Result: sketch.Blank()}
	switch {
	case errors.Is(err, digit.ErrNoInk):
		c.Notice, c.Message = msg.NoDigitFound, lang.Text(msg.NoDigitInPicture)
	case err != nil:
		c.Notice, c.Message = msg.CantRead, fmt.Sprintf(lang.Text(msg.CouldNotRead), reason(err))
	default:
		c.Result, c.Input = sketch.NewResult(a.p.Predict(in)), in
		c.MS = float64(time.Since(start).Microseconds()) / 1000
	}
	a.inbox.Post(c)
	return nil
}

func (a *api) fail(_ js.Value, args []js.Value) any {
	message := lang.Text(msg.CouldNotOpenFile)
	if len(args) > 0 && args[0].Type() == js.TypeString {
		message = args[0].String()
	}
	a.inbox.Post(session.Command{Kind: session.CmdOpen, Result: sketch.Blank(), Notice: msg.CantOpen, Message: message})
	return nil
}

func (a *api) clear(js.Value, []js.Value) any {
	a.inbox.Post(session.Command{Kind: session.CmdClear})
	return nil
}

// emit tells tegaki.js of a new result, for the tegaki:prediction event.
func emit(r sketch.Result) {
	if r.Digit < 0 || emitPrediction.Type() != js.TypeFunction {
		return
	}
	probs := make([]any, len(r.Probabilities))
	for i, v := range r.Probabilities {
		probs[i] = float64(v)
	}
	emitPrediction.Invoke(r.Digit, probs)
}

// placeOpen puts the page's #open control, a transparent file input, over
// the Open button drawn on the canvas at r (device pixels). A real tap on
// a real file input opens the picker (or the camera) in every browser; a
// click() from Update, a frame after the tap, relies on the browser's
// transient user activation, which not every browser grants that long.
func placeOpen(r sketch.Rect, scale float64) { place("open", r, scale) }

// placeDrawingArea puts the page's #drawing-area element, which has
// data-drawing-area and an accessible name, over the drawing area at r
// (device pixels), so that scripts, tests and assistive technology find
// it without recomputing the layout. It lets pointer events through to
// the canvas (style.css).
func placeDrawingArea(r sketch.Rect, scale float64) { place("drawing-area", r, scale) }

// place shows the element with the given id over r, in device pixels.
func place(id string, r sketch.Rect, scale float64) {
	el := element(id)
	if el.IsUndefined() || el.IsNull() {
		return
	}
	px := func(v float64) string { return strconv.FormatFloat(v/scale, 'f', 2, 64) + "px" }
	style := el.Get("style")
	style.Set("left", px(r.X))
	style.Set("top", px(r.Y))
	style.Set("width", px(r.W))
	style.Set("height", px(r.H))
	el.Set("hidden", false)
}

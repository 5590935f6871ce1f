//go:build js && wasm

package main

import (
	"fmt"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/app/msg"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// The DOM mirror of the result is a public interface (for screen readers,
// tests and other scripts): <output id="prediction"> with data-digit,
// data-probs and data-ms, and text that says the result in words.

func element(id string) js.Value {
	doc := js.Global().Get("document")
	if doc.IsUndefined() {
		return js.Undefined()
	}
	return doc.Call("getElementById", id)
}

// page is the session's Publisher: it mirrors the session's state into
// the page.
type page struct{}

func (page) Result(r sketch.Result, ms float64) { publishResult(r, ms) }
func (page) Notice(message string)              { publishNotice(message) }
func (page) Busy(busy bool)                     { publishBusy(busy) }
func (page) Error(err error)                    { showError(err) }

// published is what the app last said in the page, to say again in
// another language (republish).
var published struct {
	model  *pretrained.Info
	result sketch.Result
	ms     float64
	notice string // the sentence of publishNotice, if it came last
}

// republish says again, in lang, what the app last said in the page.
func republish() {
	if published.model != nil {
		publishModelLine(*published.model)
	}
	if published.notice != "" {
		publishNotice(published.notice)
	} else {
		publishResult(published.result, published.ms)
	}
}

// publishResult mirrors r into #prediction. ms is the inference time.
func publishResult(r sketch.Result, ms float64) {
	published.result, published.ms, published.notice = r, ms, ""
	out := element("prediction")
	if out.IsUndefined() || out.IsNull() {
		return
	}
	if r.Digit < 0 {
		out.Call("setAttribute", "data-digit", "")
		out.Call("setAttribute", "data-probs", "")
		out.Set("textContent", lang.Text(msg.DrawADigit))
		return
	}
	probs := make([]string, len(r.Probabilities))
	for i, p := range r.Probabilities {
		probs[i] = strconv.FormatFloat(float64(p), 'f', 4, 32)
	}
	out.Call("setAttribute", "data-digit", strconv.Itoa(r.Digit))
	out.Call("setAttribute", "data-probs", strings.Join(probs, ","))
	out.Call("setAttribute", "data-ms", strconv.FormatFloat(ms, 'f', 2, 64))
	out.Set("textContent", describe(r))
	emit(r)
}

// publishNotice mirrors a result without a digit that has a reason, such
// as an opened picture with none in it.
func publishNotice(message string) {
	published.notice = message
	out := element("prediction")
	if out.IsUndefined() || out.IsNull() {
		return
	}
	out.Call("setAttribute", "data-digit", "")
	out.Call("setAttribute", "data-probs", "")
	out.Set("textContent", message)
}

// publishBusy sets aria-busy on #prediction: "true" while a stroke is in
// progress or its prediction is pending, "false" once the result is that
// of the finished drawing. Screen readers wait for it; tests too.
func publishBusy(busy bool) {
	if out := element("prediction"); !out.IsUndefined() && !out.IsNull() {
		out.Call("setAttribute", "aria-busy", strconv.FormatBool(busy))
	}
}

// describe says a result in words.
func describe(r sketch.Result) string {
	pct := int(100*r.Probabilities[r.Digit] + 0.5)
	if r.Sure {
		return fmt.Sprintf(lang.Text(msg.Sure), r.Digit, pct)
	}
	return fmt.Sprintf(lang.Text(msg.Maybe), r.Digit, pct)
}

// focusCanvas gives ebiten's canvas the keyboard focus now and whenever the
// page is touched or clicked: ebiten listens for keys on its canvas but
// cancels the mousedown that would focus it, so Escape and Ctrl+Z would
// otherwise do nothing until the user tabbed to the canvas.
func focusCanvas() {
	doc := js.Global().Get("document")
	focus := js.FuncOf(func(js.Value, []js.Value) any {
		if c := doc.Call("querySelector", "canvas"); c.Truthy() {
			c.Call("focus")
		}
		return nil
	})
	doc.Call("addEventListener", "pointerdown", focus)
	focus.Invoke()
}

// publishModel fills the about line and marks the page ready. From now on
// the app, not site/i18n.js, words #model and #prediction.
func publishModel(info pretrained.Info) {
	published.model = &info
	for _, id := range []string{"model", "prediction"} {
		if el := element(id); el.Truthy() {
			el.Call("removeAttribute", "data-msg")
		}
	}
	publishModelLine(info)
	if body := js.Global().Get("document").Get("body"); !body.IsUndefined() {
		body.Call("setAttribute", "data-ready", "true")
	}
	publishResult(sketch.Blank(), 0)
}

// publishModelLine says which model runs, in the footer.
func publishModelLine(info pretrained.Info) {
	if about := element("model"); about.Truthy() {
		about.Set("textContent", fmt.Sprintf(lang.Text(msg.ModelLine), info.SHA256[:12], 100*info.TestAccuracy))
		about.Call("setAttribute", "data-sha256", info.SHA256)
	}
}

// showError puts a fatal error on the page, where the loader shows it.
func showError(err error) {
	if el := element("error"); !el.IsUndefined() && !el.IsNull() {
		el.Set("textContent", fmt.Sprintf(lang.Text(msg.CouldNotStart), err))
		el.Set("hidden", false)
	}
}

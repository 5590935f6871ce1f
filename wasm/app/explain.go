//go:build js && wasm

package main

import (
	"image"
	"syscall/js"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// The JS API's explain (site/tegaki.js): the why map of a picture, with
// the API's own network, as classify -why draws it.

func (a *api) explainRGBA(_ js.Value, args []js.Value) any {
	d, bad := explainDigit(args)
	if bad != nil {
		return bad
	}
	img, bad := rgba(args[1:])
	if bad != nil {
		return bad
	}
	return a.explain(img, d)
}

func (a *api) explainGrey(_ js.Value, args []js.Value) any {
	d, bad := explainDigit(args)
	if bad != nil {
		return bad
	}
	img, bad := grey(args[1:])
	if bad != nil {
		return bad
	}
	return a.explain(img, d)
}

// explainDigit reads the digit to explain, the first argument: 0 to 9, or
// -1 (pretrained.Top) for the answer.
func explainDigit(args []js.Value) (int, map[string]any) {
	if len(args) == 0 || args[0].Type() != js.TypeNumber {
		return 0, apiError(digit.CodeBadInput, "want the digit to explain first")
	}
	d := args[0].Int()
	if float64(d) != args[0].Float() || d < pretrained.Top || d > 9 {
		return 0, apiError(digit.CodeBadInput, "digit %v, want 0 to 9", args[0].Float())
	}
	return d, nil
}

// explain prepares a picture and returns the map of digit d.
func (a *api) explain(img image.Image, d int) any {
	in, err := digit.FromImage(img)
	if err != nil {
		return inputError(err)
	}
	_, m := a.p.Explain(in, d)
	return map[string]any{"map": mapValue(&m)}
}

// mapValue returns m as a JS array of numbers.
func mapValue(m *pretrained.Map) []any {
	out := make([]any, len(m))
	for i, v := range m {
		out[i] = float64(v)
	}
	return out
}

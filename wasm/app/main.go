//go:build js && wasm

// App is tegaki's browser app: an ebiten canvas where a digit is drawn with
// a mouse, a pen or a finger, classified live by the embedded network.
//
// It is compiled to WebAssembly (GOOS=js GOARCH=wasm) and loaded by
// site/index.html; `make run` builds and serves it. The logic (strokes,
// layout, when to predict in package sketch; the picture-or-drawing state,
// the page's commands and the notices in package session) is tested
// natively; this package is the thin ebiten and DOM glue.
package main

import (
	"fmt"
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/app/session"
	"github.com/tegaki/tegaki/wasm/app/why"
)

func main() {
	// The model is parsed once here; the game and the JS API each get
	// their own copy of the network.
	info, err := pretrained.Describe()
	if err != nil {
		fatal(err)
	}
	p, err := pretrained.NewPredictor()
	if err != nil {
		fatal(err)
	}
	ebiten.SetWindowTitle("tegaki")
	// Draw repaints only when something changed; the screen keeps its last
	// frame otherwise, which saves a phone's battery (ebiten's skipdraw).
	ebiten.SetScreenClearedEveryFrame(false)
	in := new(session.Inbox)
	// The why view classifies for the session, explaining each answer in
	// the same forward pass while it is open.
	v := why.New(p)
	g := newGame(session.New(v, page{}, in), v)
	publishModel(info)
	watchLang()
	if err := connectAPI(in, info); err != nil {
		fatal(err)
	}
	focusCanvas()
	if err := ebiten.RunGame(g); err != nil {
		fatal(err)
	}
}

// fatal shows err on the page and in the console, and stops the program.
// (Not log.Fatal: nothing else in the app uses package log, which costs
// the wasm 6 KB gzipped.)
func fatal(err error) {
	showError(err)
	fmt.Fprintln(os.Stderr, "tegaki:", err)
	os.Exit(1)
}

//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/tegaki/tegaki/wasm/app/msg"
)

// lang is the page's language, which site/i18n.js chose before the app
// started and sets again when the user switches; every word the app shows
// is lang's. The switch's event handler sets it between two frames, and
// Update and Draw notice the change.
var lang = pageLang()

// pageLang returns the language of <html lang>, English without a document.
func pageLang() msg.Lang {
	doc := js.Global().Get("document")
	if doc.IsUndefined() {
		return msg.English
	}
	l, _ := msg.Parse(doc.Get("documentElement").Get("lang").String())
	return l
}

// watchLang follows the page's language switch (site/i18n.js's tegaki:lang
// event): lang changes, and the app's words in the page are said again in
// it; Draw repaints the canvas in it.
func watchLang() {
	doc := js.Global().Get("document")
	if doc.IsUndefined() {
		return
	}
	doc.Call("addEventListener", "tegaki:lang", js.FuncOf(func(js.Value, []js.Value) any {
		lang = pageLang()
		republish()
		return nil
	}))
}

// The first visit: until something has been drawn (or opened) once, the
// empty drawing area says what to do and the result panel where the answer
// will be. The page remembers in localStorage that it was done, so that a
// later visit shows the short prompt.
const drawnKey = "tegaki.drawn"

// firstVisit reports whether nothing has ever been drawn in this browser.
// Without storage every visit is a first one.
func firstVisit() bool {
	store := storage()
	if !store.Truthy() {
		return true
	}
	return store.Call("getItem", drawnKey).IsNull()
}

// rememberDrawn records that something has been drawn, if it can: a full
// or blocked storage only means the hint comes back next time.
func rememberDrawn() {
	defer func() { recover() }() // setItem throws when storage is full or blocked
	if store := storage(); store.Truthy() {
		store.Call("setItem", drawnKey, "1")
	}
}

// storage returns window.localStorage, or undefined where there is none
// or reading it throws (storage blocked).
func storage() (v js.Value) {
	defer func() {
		if recover() != nil {
			v = js.Undefined()
		}
	}()
	return js.Global().Get("localStorage")
}

// Package msg is the browser app's message catalog: every word the page
// shows, in English and Japanese, in one table.
//
// A message is drawn on the canvas (Canvas), set as text in the page's
// HTML by the app (Page), or by the page's scripts alone (PageScript), which
// the wasm build leaves out. Canvas messages are drawn from glyph outlines
// baked into the app by wasm/app/glyph's generator, which reads this table
// and bakes only the characters it uses, so that no CJK font is
// downloaded. Page and PageScript messages are written, by gen.go, to
// site/messages.js, where site/i18n.js finds them: the page speaks its
// language before the wasm has loaded.
//
// # Adding or changing a message
//
// Add a Key and a row with both languages, to appTable or, for the page's
// scripts only, to scriptTable (a new English-only row
// may leave Japanese empty: Text then falls back to English, and
// TestComplete says which rows are missing), then run go generate in this
// package and in wasm/app/glyph:
//
//	go generate ./wasm/app/msg ./wasm/app/glyph
//
// Messages may hold fmt verbs (%s, %d, %.2f) for Sprintf; site/i18n.js
// replaces each %s in a page message with its arguments in order.
//
// # Choosing the language
//
// site/i18n.js chooses it in the browser, before anything else runs: the
// language the user picked with the page's switch (kept in localStorage),
// or else the first of the browser's languages that the catalog speaks, or
// else English; it sets <html lang> and the app reads it back with Parse.
package msg

//go:generate go run gen.go

// A Lang is a language the app speaks.
type Lang int

const (
	English Lang = iota
	Japanese
)

// Langs lists the languages the app speaks, English, the default, first.
var Langs = []Lang{English, Japanese}

// Tag returns l's BCP 47 language tag: "en" or "ja".
func (l Lang) Tag() string {
	if l == Japanese {
		return "ja"
	}
	return "en"
}

// Parse returns the language of a BCP 47 tag such as "ja", "ja-JP" or
// "en-GB", and whether the app speaks it. The primary subtag decides,
// without regard to case.
func Parse(tag string) (Lang, bool) {
	primary := tag
	for i, c := range tag {
		if c == '-' || c == '_' {
			primary = tag[:i]
			break
		}
	}
	for _, l := range Langs {
		if len(primary) == 2 && lower(primary) == l.Tag() {
			return l, true
		}
	}
	return English, false
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Text returns the message k in l, or in English if l has none, or k
// itself if the catalog has no message k, so that a missing message is
// visible rather than blank.
func (l Lang) Text(k Key) string {
	m, ok := byKey[k]
	switch {
	case !ok:
		return string(k)
	case l == Japanese && m.Ja != "":
		return m.Ja
	}
	return m.En
}

// A Place says where a message is shown.
type Place int

const (
	Page       Place = iota // text of the HTML page, set by the app
	Canvas                  // drawn on the canvas from baked glyph outlines
	PageScript              // text of the HTML page, set by site/i18n.js and the page's scripts only
)

// A Message is one row of the catalog.
type Message struct {
	Key   Key
	Place Place
	En    string // English
	Ja    string // Japanese; empty until translated
}

// table is the whole catalog: what the app shows, then what only the
// page's scripts show (absent from the wasm build, see catalog_script.go).
var table = append(appTable[:len(appTable):len(appTable)], scriptTable...)

// Messages returns a copy of the catalog, in its order.
func Messages() []Message { return append([]Message(nil), table...) }

// byKey indexes table.
var byKey = func() map[Key]*Message {
	m := make(map[Key]*Message, len(table))
	for i := range table {
		m[table[i].Key] = &table[i]
	}
	return m
}()

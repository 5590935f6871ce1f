package main

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseTags(t *testing.T) {
	for _, tt := range []struct {
		name string
		doc  string
		want []string // each tag written back with String
	}{
		{"empty", "", nil},
		{"text only", "a < b and c > d", nil},
		{"quotes", `<a href="x.html" title='single' data-n=3 hidden>`, []string{`<a href="x.html" title="single" data-n="3" hidden>`}},
		{"case", `<LINK REL="stylesheet" HREF="s.css">`, []string{`<link rel="stylesheet" href="s.css">`}},
		{"self-closing", `<link href="a.png" />`, []string{`<link href="a.png">`}},
		{"end tags and doctype skipped", `<!doctype html><p>x</p>`, []string{`<p>`}},
		{"comment skipped", `<!-- <script src="no.js"></script> --><b>`, []string{`<b>`}},
		{"script text skipped", `<script>if (a<b) x = "<img src=no.png>";</script><i>`, []string{`<script>`, `<i>`}},
		{"style text skipped", `<style>a > b {}</style><i>`, []string{`<style>`, `<i>`}},
		{"spaces around =", `<img src = "a.png">`, []string{`<img src="a.png">`}},
		{"value with quote", `<p title='say "hi"'>`, []string{`<p title="say &quot;hi&quot;">`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tags, err := parseTags(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tg := range tags {
				got = append(got, tg.String())
				if tt.doc[tg.start] != '<' || tt.doc[tg.end-1] != '>' {
					t.Errorf("tag %s spans %q", tg, tt.doc[tg.start:tg.end])
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseTags(%q) = %q, want %q", tt.doc, got, tt.want)
			}
		})
	}
}

func TestParseTagsErrors(t *testing.T) {
	for _, doc := range []string{
		`<!-- never closed`,
		`<script src="a.js">`,
		`<style>a{}`,
		`<a href="x"`,
		`<a href="x" "stray">`,
	} {
		if _, err := parseTags(doc); err == nil {
			t.Errorf("parseTags(%q): no error", doc)
		}
	}
}

func TestLocalName(t *testing.T) {
	for _, tt := range []struct {
		url  string
		name string
		ok   bool
	}{
		{"main.js", "main.js", true},
		{"./style.css", "style.css", true},
		{"img/icon.png", "img/icon.png", true},
		{"img/../icon.png", "icon.png", true},
		{"", "", false},
		{"#top", "", false},
		{"?q=1", "", false},
		{"/abs.js", "", false},
		{"//cdn.example/x.js", "", false},
		{"https://example.com/x.js", "", false},
		{"data:text/plain,hi", "", false},
		{"mailto:a@b", "", false},
		{"../outside.js", "", false},
		{".", "", false},
	} {
		name, ok := localName(tt.url)
		if name != tt.name || ok != tt.ok {
			t.Errorf("localName(%q) = %q, %v; want %q, %v", tt.url, name, ok, tt.name, tt.ok)
		}
	}
}

func TestRefs(t *testing.T) {
	doc := `<link rel="stylesheet" href="style.css"><link rel="icon" href="https://x/y.png">
<script src="a.js" data-wasm="main.wasm" data-mode="fast"></script><a href="#x"><img src="style.css">`
	tags, err := parseTags(doc)
	if err != nil {
		t.Fatal(err)
	}
	known := func(name string) bool { return name == "main.wasm" }
	got := refs(tags, known)
	want := []string{"style.css", "a.js", "main.wasm"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("refs = %q, want %q (data-mode is not a file, style.css is listed once)", got, want)
	}
}

func TestRenameRefs(t *testing.T) {
	doc := "<head>\n<link rel=stylesheet href='style.css'>\n<meta charset=\"utf-8\">\n</head>\n" +
		`<script src="main.js" data-wasm="main.wasm" defer></script>` + "\n<a href=\"other.html\">"
	tags, err := parseTags(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := renameRefs(doc, tags, map[string]string{"style.css": "style.1.css", "main.js": "main.2.js", "main.wasm": "main.3.wasm"})
	if err != nil {
		t.Fatal(err)
	}
	want := "<head>\n<link rel=\"stylesheet\" href=\"style.1.css\">\n<meta charset=\"utf-8\">\n</head>\n" +
		`<script src="main.2.js" data-wasm="main.3.wasm" defer></script>` + "\n<a href=\"other.html\">"
	if got != want {
		t.Errorf("renameRefs:\n got %q\nwant %q", got, want)
	}
	// The tags themselves are left as they were, for other uses.
	if v, _ := tags[3].get("src"); v != "main.js" {
		t.Errorf("renameRefs changed the parsed tags: src = %q", v)
	}
}

// Renaming rewrites only the tags that refer to a renamed file; the rest of
// the page is kept byte for byte.
func Example_renameRefs() {
	doc := `<link rel="stylesheet" href="style.css">
<script src="main.js" data-wasm="main.wasm"></script>`
	tags, _ := parseTags(doc)
	page, _ := renameRefs(doc, tags, map[string]string{
		"style.css": "style.0c1d2e3f.css",
		"main.js":   "main.5540d0df.js",
		"main.wasm": "main.3f2a9c1b.wasm",
	})
	fmt.Println(page)
	// Output:
	// <link rel="stylesheet" href="style.0c1d2e3f.css">
	// <script src="main.5540d0df.js" data-wasm="main.3f2a9c1b.wasm"></script>
}

func TestEscapeRawText(t *testing.T) {
	for _, tt := range []struct{ text, element, want string }{
		{`s = "</script>"`, "script", `s = "<\/script>"`},
		{`s = "</SCRIPT>"`, "script", `s = "<\/SCRIPT>"`},
		{`// <!-- old`, "script", `// <\!-- old`},
		{`a::after { content: "</style>" }`, "style", `a::after { content: "<\/style>" }`},
		{`/* <!-- */`, "style", `/* <!-- */`},
		{`if (a < b) {}`, "script", `if (a < b) {}`},
	} {
		if got := escapeRawText(tt.text, tt.element); got != tt.want {
			t.Errorf("escapeRawText(%q, %q) = %q, want %q", tt.text, tt.element, got, tt.want)
		}
		if strings.Contains(strings.ToLower(escapeRawText(tt.text, tt.element)), "</"+tt.element) {
			t.Errorf("escapeRawText(%q) still ends the element", tt.text)
		}
	}
}

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

// testIndex is a page like site/index.html: a stylesheet, the manifest, an
// icon, Go's glue, the loader naming the wasm, and one more script.
const testIndex = `<!doctype html>
<html>
<head>
<link rel="stylesheet" href="style.css">
<link rel="manifest" href="manifest.webmanifest">
<link rel="apple-touch-icon" href="icon-192.png">
</head>
<body>
<p>Draw.</p>
<script src="wasm_exec.js"></script>
<script src="main.js" data-wasm="main.wasm"></script>
<script src="extra.js"></script>
</body>
</html>
`

// testSW is a service worker source with the line tools/bundle fills in.
const testSW = "\"use strict\";\nconst BUILD = { cache: \"dev\", precache: [] };\nself.addEventListener(\"fetch\", () => {});\n"

// testWasm is a small "module": the magic number, then enough repetitive
// bytes to be worth compressing, as real wasm is.
var testWasm = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("tegaki "), 1000)...)

func testSite() fstest.MapFS {
	return fstest.MapFS{
		"index.html": {Data: []byte(testIndex)},
		"sw.js":      {Data: []byte(testSW)},
		"style.css":  {Data: []byte(strings.Repeat("body { margin: 0 }\n", 100))},
		"main.js":    {Data: []byte(`"use strict"; const s = "</script>";`)},
		"extra.js":   {Data: []byte(`console.log("extra");`)},
		"unused.txt": {Data: []byte("not part of the page")},
	}
}

func testInput(site fs.FS) input {
	return input{site: site, wasm: testWasm, wasmExec: []byte("// Go's glue\n")}
}

func TestBundle(t *testing.T) {
	out, err := bundle(testInput(testSite()))
	if err != nil {
		t.Fatal(err)
	}

	// Every file the page uses, and the icons, under a hashed name.
	hashed := regexp.MustCompile(`^[a-z0-9_-]+\.[0-9a-f]{8}\.[a-z]+$`)
	for _, src := range []string{"style.css", "wasm_exec.js", "main.js", "extra.js", "main.wasm", "icon-192.png", "icon-512.png", "icon-maskable-512.png"} {
		name := out.assets[src]
		if !hashed.MatchString(name) {
			t.Errorf("%s is written as %q, want a hashed name", src, name)
		}
		if _, ok := out.files[name]; !ok {
			t.Errorf("%s (%s) is not in the output", src, name)
		}
	}
	if _, ok := out.assets["unused.txt"]; ok {
		t.Error("a file the page does not use was bundled")
	}

	// index.html refers to the hashed names only.
	page := string(out.files["index.html"])
	for src, name := range out.assets {
		if strings.Contains(page, `"`+src+`"`) {
			t.Errorf("index.html still refers to %s", src)
		}
		if !isIcon(src) || src == "icon-192.png" {
			if !strings.Contains(page, `"`+name+`"`) {
				t.Errorf("index.html does not refer to %s", name)
			}
		}
	}
	if !strings.Contains(page, `<script src="`+out.assets["main.js"]+`" data-wasm="`+out.assets["main.wasm"]+`"></script>`) {
		t.Errorf("the loader's tag is not rewritten:\n%s", page)
	}
	if !strings.Contains(page, `href="manifest.webmanifest"`) {
		t.Error("index.html no longer links the manifest by its stable name")
	}

	// The service worker precaches the page and every other file, the
	// .gz siblings, the Worker's metafiles and itself excepted, and names
	// the build's cache.
	build := readBuild(t, out.files["sw.js"])
	if build.Cache != out.cache || !strings.HasPrefix(build.Cache, "tegaki-") {
		t.Errorf("sw.js cache %q, want %q", build.Cache, out.cache)
	}
	var want []string
	for name := range out.files {
		if name != "sw.js" && name != "index.html" && name != headersName && name != ignoreName && !strings.HasSuffix(name, ".gz") && !strings.HasSuffix(name, ".br") {
			want = append(want, name)
		}
	}
	slices.Sort(want)
	want = append([]string{"./"}, want...)
	if !slices.Equal(build.Precache, want) {
		t.Errorf("precache = %q, want %q", build.Precache, want)
	}

	// .gz and .br siblings: for the compressible files of 1 KiB or more,
	// and they decompress to the file.
	for name, b := range out.files {
		want := compressible(name) && len(b) >= minCompress
		for ext, decode := range map[string]func(*testing.T, []byte) []byte{".gz": gunzip, ".br": unbrotli} {
			z, ok := out.files[name+ext]
			if ok != want {
				t.Errorf("%s (%d bytes): has %s %v, want %v", name, len(b), ext, ok, want)
			}
			if ok && !bytes.Equal(decode(t, z), b) {
				t.Errorf("%s%s does not decompress to %s", name, ext, name)
			}
		}
	}
}

// A different file anywhere in the page gives a new cache name, so that
// the service worker of the new build replaces the old one.
func TestBundleCacheChanges(t *testing.T) {
	base, err := bundle(testInput(testSite()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		change func(fstest.MapFS, *input)
	}{
		{"wasm", func(_ fstest.MapFS, in *input) { in.wasm = append(slices.Clone(in.wasm), 1) }},
		{"script", func(site fstest.MapFS, _ *input) { site["extra.js"] = &fstest.MapFile{Data: []byte("// new")} }},
		{"page text", func(site fstest.MapFS, _ *input) {
			site["index.html"] = &fstest.MapFile{Data: []byte(strings.Replace(testIndex, "Draw.", "Draw a digit.", 1))}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site := testSite()
			in := testInput(site)
			tt.change(site, &in)
			out, err := bundle(in)
			if err != nil {
				t.Fatal(err)
			}
			if out.cache == base.cache {
				t.Errorf("cache name %s did not change", out.cache)
			}
		})
	}
	again, err := bundle(testInput(testSite()))
	if err != nil {
		t.Fatal(err)
	}
	if again.cache != base.cache || !bytes.Equal(again.single, base.single) {
		t.Error("the same input gave a different build")
	}
}

func TestBundleErrors(t *testing.T) {
	for _, tt := range []struct {
		name  string
		edit  func(fstest.MapFS)
		cause string // a word the error must contain
	}{
		{"missing file", func(s fstest.MapFS) { delete(s, "extra.js") }, "extra.js"},
		{"no wasm", func(s fstest.MapFS) {
			s["index.html"] = &fstest.MapFile{Data: []byte(strings.Replace(testIndex, ` data-wasm="main.wasm"`, "", 1))}
		}, "main.wasm"},
		{"no glue", func(s fstest.MapFS) {
			s["index.html"] = &fstest.MapFile{Data: []byte(strings.Replace(testIndex, `<script src="wasm_exec.js"></script>`, "", 1))}
		}, "wasm_exec.js"},
		{"service worker as asset", func(s fstest.MapFS) {
			s["index.html"] = &fstest.MapFile{Data: []byte(strings.Replace(testIndex, "extra.js", "sw.js", 1))}
		}, "sw.js"},
		{"no BUILD line", func(s fstest.MapFS) { s["sw.js"] = &fstest.MapFile{Data: []byte("// nothing\n")} }, "BUILD"},
		{"no index", func(s fstest.MapFS) { delete(s, "index.html") }, "index.html"},
		{"unclosed script", func(s fstest.MapFS) {
			s["index.html"] = &fstest.MapFile{Data: []byte(`<script src="wasm_exec.js">`)}
		}, "script"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site := testSite()
			tt.edit(site)
			_, err := bundle(testInput(site))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.cause) {
				t.Errorf("error %q does not name %s", err, tt.cause)
			}
		})
	}
}

func TestSingleFile(t *testing.T) {
	out, err := bundle(testInput(testSite()))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(out.single)
	tags, err := parseTags(doc)
	if err != nil {
		t.Fatalf("the single file does not parse: %v", err)
	}
	var scripts []string
	for _, tg := range tags {
		switch tg.name {
		case "script":
			if src, ok := tg.get("src"); ok {
				t.Errorf("script still loads %s", src)
			}
			text := doc[tg.end:]
			text = text[:strings.Index(text, "</script>")]
			scripts = append(scripts, text)
			if w, ok := tg.get("data-wasm"); ok {
				const prefix = "data:application/gzip;base64,"
				if !strings.HasPrefix(w, prefix) {
					t.Fatalf("data-wasm is %.40q..., want %s...", w, prefix)
				}
				z, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(w, prefix))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(gunzip(t, z), testWasm) {
					t.Error("data-wasm does not hold the wasm")
				}
			}
		case "link":
			href, _ := tg.get("href")
			if !strings.HasPrefix(href, "data:image/png;base64,") {
				t.Errorf("link %s is left: %.60s", tg.name, tg)
			}
		}
	}
	want := []string{"// Go's glue\n", `"use strict"; const s = "<\/script>";`, `console.log("extra");`}
	if !slices.Equal(scripts, want) {
		t.Errorf("inline scripts = %q, want %q (in order, escaped)", scripts, want)
	}
	if !strings.Contains(doc, "<style>body { margin: 0 }") {
		t.Error("the stylesheet is not inline")
	}
	if strings.Contains(doc, "manifest") {
		t.Error("the single file still links the manifest")
	}
}

func TestServiceWorker(t *testing.T) {
	b := swBuild{Cache: "tegaki-abc", Precache: []string{"./", "main.1234abcd.js"}}
	got, err := serviceWorker(testSW, b)
	if err != nil {
		t.Fatal(err)
	}
	want := "\"use strict\";\nconst BUILD = {\"cache\":\"tegaki-abc\",\"precache\":[\"./\",\"main.1234abcd.js\"]}; // written by tools/bundle\nself.addEventListener(\"fetch\", () => {});\n"
	if got != want {
		t.Errorf("serviceWorker:\n got %q\nwant %q", got, want)
	}
	for _, src := range []string{"", "const BUILD = 1;\nconst BUILD = 2;\n", "let BUILD = {};\n"} {
		if _, err := serviceWorker(src, b); err == nil {
			t.Errorf("serviceWorker(%q): no error", src)
		}
	}
}

func TestManifest(t *testing.T) {
	names := map[string]string{}
	for _, ic := range icons {
		names[ic.name] = hashedName(ic.name, []byte(ic.name))
	}
	texts, err := readMessages(fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := makeManifest(names, defaultLang, texts[defaultLang])
	if err != nil {
		t.Fatal(err)
	}
	var m webManifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Name == "" || m.ShortName != "tegaki" || m.Display != "standalone" || m.Orientation != "portrait" ||
		m.StartURL != "./" || m.Scope != "./" || m.ID != "./" {
		t.Errorf("manifest = %+v", m)
	}
	var got []string
	for _, ic := range m.Icons {
		got = append(got, fmt.Sprintf("%s %s %s", ic.Src, ic.Sizes, ic.Purpose))
	}
	want := []string{
		names["icon-192.png"] + " 192x192 ",
		names["icon-512.png"] + " 512x512 ",
		names["icon-maskable-512.png"] + " 512x512 maskable",
	}
	if !slices.Equal(got, want) {
		t.Errorf("icons = %q, want %q", got, want)
	}
	delete(names, "icon-512.png")
	if _, err := makeManifest(names, defaultLang, texts[defaultLang]); err == nil {
		t.Error("makeManifest without an icon: no error")
	}
}

func TestHashedName(t *testing.T) {
	data := []byte("tegaki")
	h := "51cf4753" // the first 8 hex digits of SHA-256("tegaki")
	for _, tt := range []struct{ name, want string }{
		{"main.wasm", "main." + h + ".wasm"},
		{"wasm_exec.js", "wasm_exec." + h + ".js"},
		{"img/icon.png", "img/icon." + h + ".png"},
		{"archive.tar.gz", "archive.tar." + h + ".gz"},
		{"LICENSE", "LICENSE." + h},
		{".hidden", ".hidden." + h},
	} {
		if got := hashedName(tt.name, data); got != tt.want {
			t.Errorf("hashedName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func Example_hashedName() {
	fmt.Println(hashedName("main.wasm", []byte("tegaki")))
	fmt.Println(hashedName("main.wasm", []byte("tegaki, retrained")))
	// Output:
	// main.51cf4753.wasm
	// main.a13f2661.wasm
}

func readBuild(t *testing.T, sw []byte) swBuild {
	t.Helper()
	m := regexp.MustCompile(`(?m)^const BUILD = (.*); // written by tools/bundle$`).FindSubmatch(sw)
	if m == nil {
		t.Fatalf("sw.js has no build line:\n%s", sw)
	}
	var b swBuild
	if err := json.Unmarshal(m[1], &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func unbrotli(t *testing.T, z []byte) []byte {
	t.Helper()
	b, err := io.ReadAll(brotli.NewReader(bytes.NewReader(z)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gunzip(t *testing.T, z []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return b
}

// TestEdgeHeaders checks the Worker's _headers: the security headers on
// every path, revalidation for the files whose names stay, a year for the
// hashed ones; and that the .gz siblings are not uploaded.
func TestEdgeHeaders(t *testing.T) {
	out, err := bundle(testInput(testSite()))
	if err != nil {
		t.Fatal(err)
	}
	h := string(out.files[headersName])
	for _, want := range []string{
		"/*\n  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval';",
		"\n  X-Content-Type-Options: nosniff\n",
		"/\n  Cache-Control: no-cache\n",
		"/index.html\n  Cache-Control: no-cache\n",
		"/sw.js\n  Cache-Control: no-cache\n",
		"/manifest.webmanifest\n  Cache-Control: no-cache\n",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("_headers lacks %q:\n%s", want, h)
		}
	}
	for name, hashed := range out.assets {
		if want := "/" + hashed + "\n  Cache-Control: public, max-age=31536000, immutable\n"; !strings.Contains(h, want) {
			t.Errorf("_headers does not let browsers keep %s (%s) for a year", hashed, name)
		}
	}
	if got := string(out.files[ignoreName]); got != "*.gz\n*.br\n" {
		t.Errorf(".assetsignore = %q, want the .gz and .br siblings", got)
	}
}

// testMessages is a messages.js like the one wasm/app/msg generates.
const testMessages = `"use strict";
const MESSAGES = {
  "en": {"manifest-name": "tegaki: digits", "manifest-description": "Draw a digit."},
  "ja": {"manifest-name": "tegaki: 数字", "manifest-description": "数字を書いてください。"}
};
`

// TestManifests checks the manifest per language of messages.js: the
// words, the lang, one id for all, precached and revalidated.
func TestManifests(t *testing.T) {
	site := testSite()
	site["messages.js"] = &fstest.MapFile{Data: []byte(testMessages)}
	site["index.html"] = &fstest.MapFile{Data: []byte(strings.Replace(testIndex, `<script src="extra.js">`, `<script src="messages.js"></script><script src="extra.js">`, 1))}
	out, err := bundle(testInput(site))
	if err != nil {
		t.Fatal(err)
	}
	build := readBuild(t, out.files["sw.js"])
	for _, tt := range []struct{ file, lang, name, desc string }{
		{"manifest.webmanifest", "en", "tegaki: digits", "Draw a digit."},
		{"manifest.ja.webmanifest", "ja", "tegaki: 数字", "数字を書いてください。"},
	} {
		var m webManifest
		if err := json.Unmarshal(out.files[tt.file], &m); err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if m.Lang != tt.lang || m.Name != tt.name || m.Description != tt.desc || m.ID != "./" || m.ShortName != "tegaki" || len(m.Icons) != len(icons) {
			t.Errorf("%s = %+v, want lang %s, name %q, description %q, id ./, short name tegaki and the icons", tt.file, m, tt.lang, tt.name, tt.desc)
		}
		if !slices.Contains(build.Precache, tt.file) {
			t.Errorf("%s is not precached: %q", tt.file, build.Precache)
		}
		if h := string(out.files[headersName]); !strings.Contains(h, "/"+tt.file+"\n  Cache-Control: no-cache\n") {
			t.Errorf("_headers does not revalidate %s:\n%s", tt.file, h)
		}
	}
}

func TestReadMessagesErrors(t *testing.T) {
	for _, tt := range []struct{ name, src string }{
		{"no MESSAGES", `const WORDS = {};`},
		{"not JSON", `const MESSAGES = {en: {}};`},
		{"no English", `const MESSAGES = {"ja": {"manifest-name": "a", "manifest-description": "b"}};`},
		{"no name", `const MESSAGES = {"en": {"manifest-description": "b"}};`},
		{"bad tag", `const MESSAGES = {"en": {"manifest-name": "a", "manifest-description": "b"}, "../x": {"manifest-name": "a", "manifest-description": "b"}};`},
	} {
		if _, err := readMessages(fstest.MapFS{"messages.js": {Data: []byte(tt.src)}}); err == nil {
			t.Errorf("%s: readMessages(%q): no error", tt.name, tt.src)
		}
	}
}

// TestBrotliCache checks that the cache gives what compressing gives, and
// compresses again over a damaged entry.
func TestBrotliCache(t *testing.T) {
	data := bytes.Repeat([]byte("tegaki 手書き "), 500)
	fresh := brotliCache{}.compress(data)
	if !bytes.Equal(unbrotli(t, fresh), data) {
		t.Fatal("brotli output does not decompress to its input")
	}
	c := brotliCache{t.TempDir()}
	if got := c.compress(data); !bytes.Equal(got, fresh) {
		t.Error("first compress through the cache differs from compressing")
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("cache holds %v (%v), want one entry", entries, err)
	}
	path := filepath.Join(c.dir, entries[0].Name())
	if err := os.WriteFile(path, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := c.compress(data); !bytes.Equal(got, fresh) {
		t.Error("a damaged cache entry was used")
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, fresh) {
		t.Error("a damaged cache entry was not replaced")
	}
}

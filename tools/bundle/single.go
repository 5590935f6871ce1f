package main

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
)

// singleFile returns the page as one self-contained HTML document, for
// opening straight from disk (file://) with no server and no network:
//
//   - each <script src> of a local file becomes an inline script with that
//     file's text, in the same place, keeping its other attributes;
//   - each <link rel="stylesheet"> of a local file becomes a <style>;
//   - the <link rel="manifest"> is dropped: nothing can be installed from a
//     file, and the manifest's icons would not resolve;
//   - every other local src, href or data-* reference becomes a data: URL.
//     A data-* reference to a compressible file (the loader's data-wasm) is
//     gzipped first and given the type application/gzip, which the loader
//     recognises and decompresses with DecompressionStream; src and href
//     references stay plain, since the browser reads those itself.
//
// gz returns the gzipped bytes of a file, so that work already done for the
// served folder is reused.
func singleFile(doc string, tags []tag, files map[string][]byte, gz func(name string) []byte) (string, error) {
	file := func(name string) ([]byte, error) {
		b, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("index.html refers to %s, which is not part of the page", name)
		}
		return b, nil
	}
	// inlineRefs turns the tag's local references, except the one in
	// attribute skip, into data: URLs, and reports whether any changed.
	inlineRefs := func(t *tag, skip string) (bool, error) {
		t.attrs = append([]attr(nil), t.attrs...)
		changed := false
		for i, a := range t.attrs {
			if !isRefAttr(a.name) || a.bare || a.name == skip {
				continue
			}
			name, ok := localName(a.value)
			if !ok {
				continue
			}
			b, ok := files[name]
			if !ok {
				if strings.HasPrefix(a.name, "data-") {
					continue // not a file name
				}
				return false, fmt.Errorf("index.html refers to %s, which is not part of the page", name)
			}
			if strings.HasPrefix(a.name, "data-") && compressible(name) && len(b) >= minCompress {
				t.attrs[i].value = dataURL("application/gzip", gz(name))
			} else {
				t.attrs[i].value = dataURL(mediaType(name), b)
			}
			changed = true
		}
		return changed, nil
	}
	return rewrite(doc, tags, func(t tag) (string, int, bool, error) {
		src, hasSrc := t.get("src")
		name, local := localName(src)
		rel, _ := t.get("rel")
		rels := strings.Fields(strings.ToLower(rel))
		switch {
		case t.name == "script" && hasSrc && local:
			end := scriptEnd.FindStringIndex(doc[t.end:])
			if end == nil {
				return "", 0, false, fmt.Errorf("<script src=%q> must be followed by </script> with nothing between", src)
			}
			js, err := file(name)
			if err != nil {
				return "", 0, false, err
			}
			if _, err := inlineRefs(&t, "src"); err != nil {
				return "", 0, false, err
			}
			t.attrs = withoutAttr(t.attrs, "src")
			return t.String() + escapeRawText(string(js), "script") + "</script>", end[1], true, nil
		case t.name == "link" && hasToken(rels, "manifest"):
			return "", 0, true, nil
		case t.name == "link" && hasToken(rels, "stylesheet"):
			href, _ := t.get("href")
			name, ok := localName(href)
			if !ok {
				break
			}
			css, err := file(name)
			if err != nil {
				return "", 0, false, err
			}
			style := tag{name: "style"}
			if media, ok := t.get("media"); ok {
				style.attrs = []attr{{name: "media", value: media}}
			}
			return style.String() + escapeRawText(string(css), "style") + "</style>", 0, true, nil
		}
		changed, err := inlineRefs(&t, "")
		return t.String(), 0, changed, err
	})
}

// scriptEnd matches the end tag of an external script, which must close it
// at once.
var scriptEnd = regexp.MustCompile(`(?i)^\s*</script\s*>`)

// escapeRawText makes text safe inside a <script> or <style> element: the
// sequence "</script" (or "</style") would end the element early, and "<!--"
// in a script changes how the HTML parser looks for the end. A backslash
// before the "/" or "!" keeps the meaning of the text where such sequences
// occur in practice: in strings, regular expressions and comments.
func escapeRawText(text, element string) string {
	end := regexp.MustCompile(`(?i)</(` + element + `)`)
	text = end.ReplaceAllString(text, `<\/$1`)
	if element == "script" {
		text = strings.ReplaceAll(text, "<!--", `<\!--`)
	}
	return text
}

// dataURL returns b as a base64 data: URL of the media type.
func dataURL(mediaType string, b []byte) string {
	return "data:" + mediaType + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func hasToken(tokens []string, tok string) bool {
	for _, t := range tokens {
		if t == tok {
			return true
		}
	}
	return false
}

func withoutAttr(attrs []attr, name string) []attr {
	var out []attr
	for _, a := range attrs {
		if a.name != name {
			out = append(out, a)
		}
	}
	return out
}

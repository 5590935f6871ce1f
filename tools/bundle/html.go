package main

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// The page's index.html is read with a small scanner rather than a full
// HTML parser: it finds the start tags and their attributes, skipping
// comments and the text of script and style elements, which is all the
// bundler needs to rename, inline and rewrite what the page refers to.

// A tag is a start tag in a document.
type tag struct {
	start, end int    // doc[start:end] is the whole tag, "<" to ">"
	name       string // lower case
	attrs      []attr // in document order
}

// An attr is one attribute of a tag; value is as written, without quotes
// (entities are not decoded: the values the bundler reads are file names).
type attr struct {
	name  string // lower case
	value string
	bare  bool // written without a value, as in <script defer>
}

// get returns the value of the attribute name and reports whether the tag
// has it.
func (t tag) get(name string) (string, bool) {
	for _, a := range t.attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

// String writes the tag back as HTML, every value in double quotes.
func (t tag) String() string {
	var b strings.Builder
	b.WriteString("<" + t.name)
	for _, a := range t.attrs {
		b.WriteString(" " + a.name)
		if !a.bare {
			b.WriteString(`="` + strings.ReplaceAll(a.value, `"`, "&quot;") + `"`)
		}
	}
	b.WriteString(">")
	return b.String()
}

var (
	tagName   = regexp.MustCompile(`^<([a-zA-Z][a-zA-Z0-9-]*)`)
	attribute = regexp.MustCompile(`^\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>` + "`" + `]+)))?`)
)

// parseTags returns the start tags of doc in order. It returns an error for
// an unterminated comment, tag or script or style element.
func parseTags(doc string) ([]tag, error) {
	var tags []tag
	for i := 0; i < len(doc); {
		lt := strings.IndexByte(doc[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		rest := doc[i:]
		if strings.HasPrefix(rest, "<!--") {
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return nil, fmt.Errorf("unterminated comment at byte %d", i)
			}
			i += 4 + end + 3
			continue
		}
		m := tagName.FindStringSubmatch(rest)
		if m == nil { // </end>, <!doctype>, or a stray "<"
			i++
			continue
		}
		t := tag{start: i, name: strings.ToLower(m[1])}
		j := len(m[0])
		for {
			a := attribute.FindStringSubmatchIndex(rest[j:])
			if a == nil {
				break
			}
			sub := func(k int) string { return rest[j+a[2*k] : j+a[2*k+1]] }
			at := attr{name: strings.ToLower(sub(1))}
			switch {
			case a[4] >= 0:
				at.value = sub(2)
			case a[6] >= 0:
				at.value = sub(3)
			case a[8] >= 0:
				at.value = sub(4)
			default:
				at.bare = true
			}
			t.attrs = append(t.attrs, at)
			j += a[1]
		}
		close := strings.IndexByte(rest[j:], '>')
		if close < 0 || strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest[j:j+close]), "/")) != "" {
			return nil, fmt.Errorf("malformed <%s> tag at byte %d", t.name, i)
		}
		t.end = i + j + close + 1
		tags = append(tags, t)
		i = t.end
		if t.name == "script" || t.name == "style" {
			// Raw text: skip to the end tag, whatever it contains.
			end := strings.Index(strings.ToLower(doc[i:]), "</"+t.name)
			if end < 0 {
				return nil, fmt.Errorf("<%s> at byte %d is not closed", t.name, t.start)
			}
			i += end
		}
	}
	return tags, nil
}

// isRefAttr reports whether an attribute may name a file of the page: src,
// href, and data-* (the loader's data-wasm names the wasm file).
func isRefAttr(name string) bool {
	return name == "src" || name == "href" || strings.HasPrefix(name, "data-")
}

// localName returns the file a URL in the page refers to, relative to the
// page, and reports whether it is local: not empty, no scheme, not absolute
// and not a fragment or query alone.
func localName(url string) (string, bool) {
	if url == "" || strings.ContainsAny(url[:1], "/#?") || hasScheme(url) {
		return "", false
	}
	name := path.Clean(url)
	if name == "." || strings.HasPrefix(name, "../") || name == ".." {
		return "", false
	}
	return name, true
}

var scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

func hasScheme(url string) bool { return scheme.MatchString(url) }

// refs returns the local files that doc refers to, in order of first use:
// every local src and href, and every data-* attribute whose value is one of
// known (other data-* values are not file names).
func refs(tags []tag, known func(name string) bool) []string {
	var names []string
	seen := map[string]bool{}
	for _, t := range tags {
		for _, a := range t.attrs {
			if !isRefAttr(a.name) || a.bare {
				continue
			}
			name, ok := localName(a.value)
			if !ok || seen[name] || (strings.HasPrefix(a.name, "data-") && !known(name)) {
				continue
			}
			seen[name] = true
			names = append(names, name)
		}
	}
	return names
}

// rewrite returns doc with each tag replaced by edit's result: edit gets the
// tag and the document, returns the HTML to put in its place, and how many
// bytes after the tag it also replaces (for an element's content and end
// tag). Tags that edit leaves alone (returns ok false) are kept byte for
// byte.
func rewrite(doc string, tags []tag, edit func(t tag) (html string, skip int, ok bool, err error)) (string, error) {
	var b strings.Builder
	last := 0
	for _, t := range tags {
		html, skip, ok, err := edit(t)
		if err != nil {
			return "", err
		}
		if !ok {
			continue
		}
		b.WriteString(doc[last:t.start])
		b.WriteString(html)
		last = t.end + skip
	}
	b.WriteString(doc[last:])
	return b.String(), nil
}

// renameRefs returns doc with every local reference renamed through names
// (source name to output name); references not in names are kept.
func renameRefs(doc string, tags []tag, names map[string]string) (string, error) {
	return rewrite(doc, tags, func(t tag) (string, int, bool, error) {
		t.attrs = slices.Clone(t.attrs)
		changed := false
		for i, a := range t.attrs {
			if !isRefAttr(a.name) || a.bare {
				continue
			}
			if name, ok := localName(a.value); ok && names[name] != "" {
				t.attrs[i].value = names[name]
				changed = true
			}
		}
		return t.String(), 0, changed, nil
	})
}

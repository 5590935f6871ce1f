package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
)

// messagesName is the page's words by language, site/messages.js, which
// wasm/app/msg generates from the app's message catalog. The bundler reads
// the installed app's name and description from it, for a manifest in
// each language.
const messagesName = "messages.js"

// defaultLang is the language of manifest.webmanifest, and of the page when
// the browser asks for none that it speaks (site/i18n.js).
const defaultLang = "en"

// messagesObject matches the object assigned to MESSAGES in messages.js,
// which is JSON.
var messagesObject = regexp.MustCompile(`(?s)\bconst MESSAGES = (\{.*\});`)

// pageTexts are a language's words by key, as messages.js holds them.
type pageTexts map[string]string

// readMessages returns the page's words by language from the site's
// messages.js, or just defaultLang's built-in manifest words if the site
// has none.
func readMessages(site fs.FS) (map[string]pageTexts, error) {
	src, err := fs.ReadFile(site, messagesName)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]pageTexts{defaultLang: {
			"manifest-name":        "tegaki: handwritten digits",
			"manifest-description": "Draw a digit; a neural network written from scratch in Go reads it, on your device, offline.",
		}}, nil
	}
	if err != nil {
		return nil, err
	}
	m := messagesObject.FindSubmatch(src)
	if m == nil {
		return nil, fmt.Errorf("%s: no \"const MESSAGES = {...};\" (go generate ./wasm/app/msg writes it)", messagesName)
	}
	var all map[string]pageTexts
	if err := json.Unmarshal(m[1], &all); err != nil {
		return nil, fmt.Errorf("%s: %w", messagesName, err)
	}
	if _, ok := all[defaultLang]; !ok {
		return nil, fmt.Errorf("%s has no %q words", messagesName, defaultLang)
	}
	for _, lang := range slices.Sorted(maps.Keys(all)) {
		if !validLang.MatchString(lang) {
			return nil, fmt.Errorf("%s: language %q is not a two- or three-letter tag", messagesName, lang)
		}
		for _, key := range []string{"manifest-name", "manifest-description"} {
			if all[lang][key] == "" {
				return nil, fmt.Errorf("%s: %s has no %q", messagesName, lang, key)
			}
		}
	}
	return all, nil
}

var validLang = regexp.MustCompile(`^[a-z]{2,3}$`)

// manifestFile returns the name of lang's manifest: manifest.webmanifest
// for defaultLang, manifest.<lang>.webmanifest for the others, the names
// site/i18n.js links.
func manifestFile(lang string) string {
	if lang == defaultLang {
		return manifestName
	}
	return "manifest." + lang + ".webmanifest"
}

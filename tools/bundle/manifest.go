package main

import (
	"encoding/json"
	"fmt"
)

// manifestName is the web app manifest's file name. It keeps its name
// across builds (index.html links it, and browsers key an installed app by
// it), so tools/serve sends it with no-cache and the service worker
// precaches it with the build.
const manifestName = "manifest.webmanifest"

// A webManifest is the web app manifest (W3C Web Application Manifest) that
// makes the page installable: Chromium asks for a name, a start URL,
// display standalone or fullscreen, and icons of 192 and 512 pixels.
type webManifest struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	Lang            string         `json:"lang"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	Orientation     string         `json:"orientation"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons"`
}

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose,omitempty"` // "any" when empty
}

// makeManifest returns tegaki's manifest in language lang, with the words
// of texts, its icons at the names in iconNames (by source name, as in
// icons). All URLs are relative to the manifest, so the site works under
// any path. Every language's manifest has the same id, so that the app is
// one app whichever manifest the page linked when it was installed.
func makeManifest(iconNames map[string]string, lang string, texts pageTexts) ([]byte, error) {
	m := webManifest{
		ID:              "./",
		Name:            texts["manifest-name"],
		ShortName:       "tegaki",
		Description:     texts["manifest-description"],
		Lang:            lang,
		StartURL:        "./",
		Scope:           "./",
		Display:         "standalone",
		Orientation:     "portrait",
		BackgroundColor: "#eeeef2", // style.css's page colour, for the splash screen
		ThemeColor:      "#eeeef2", // as index.html's theme-color
	}
	for _, ic := range icons {
		name := iconNames[ic.name]
		if name == "" {
			return nil, fmt.Errorf("manifest: no file for icon %s", ic.name)
		}
		mi := manifestIcon{Src: name, Sizes: fmt.Sprintf("%dx%d", ic.size, ic.size), Type: "image/png"}
		if ic.maskable {
			mi.Purpose = "maskable"
		}
		m.Icons = append(m.Icons, mi)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

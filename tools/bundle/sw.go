package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
)

// swName is the service worker's file name. It must never change (the
// browser looks for updates at the URL it registered) and never be cached
// as immutable: tools/serve sends it with no-cache, and browsers fetch it
// past their HTTP cache when they look for an update anyway.
const swName = "sw.js"

// swBuildLine matches the one line of the service worker's source that
// tools/bundle replaces with the build's cache name and precache list.
var swBuildLine = regexp.MustCompile(`(?m)^const BUILD = .*$`)

// swBuild is what the service worker knows of a build.
type swBuild struct {
	Cache    string   `json:"cache"`    // name of the build's cache
	Precache []string `json:"precache"` // URLs relative to the worker, "./" first
}

// makeBuild returns the build of a site whose files are named in names
// (hashed assets, the manifest) with index.html's final text: the precache
// list is "./" (the page) and the names in order, and the cache name
// changes whenever the page or any file in it does, since the hashed names
// change with their contents.
func makeBuild(index string, names []string, manifest []byte) swBuild {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	h := sha256.New()
	h.Write([]byte(index))
	h.Write(manifest)
	for _, n := range sorted {
		fmt.Fprintf(h, "\x00%s", n)
	}
	return swBuild{
		Cache:    "tegaki-" + hex.EncodeToString(h.Sum(nil))[:12],
		Precache: append([]string{"./"}, sorted...),
	}
}

// serviceWorker returns the source of the service worker (site/sw.js) with
// its "const BUILD = ...;" line replaced by b. It returns an error unless
// there is exactly one such line.
func serviceWorker(src string, b swBuild) (string, error) {
	if n := len(swBuildLine.FindAllStringIndex(src, -1)); n != 1 {
		return "", fmt.Errorf("%s: want one line starting \"const BUILD = \" for tools/bundle to fill in, found %d", swName, n)
	}
	j, err := json.Marshal(b)
	if err != nil {
		return "", err
	}
	line := "const BUILD = " + string(j) + "; // written by tools/bundle"
	return swBuildLine.ReplaceAllLiteralString(src, line), nil
}

//go:build ignore

// Gen writes site/messages.js from the catalog (msg.Script).
//
// Usage:
//
//	go run gen.go
package main

import (
	"log"
	"os"

	"github.com/tegaki/tegaki/wasm/app/msg"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("msg/gen: ")
	b, err := msg.Script()
	if err != nil {
		log.Fatal(err)
	}
	// A rename over the old file: the site never sees half of one.
	tmp := msg.ScriptPath + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(tmp, msg.ScriptPath); err != nil {
		log.Fatal(err)
	}
}

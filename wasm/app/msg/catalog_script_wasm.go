//go:build js && wasm

package msg

// scriptTable is empty in the app: see catalog_script.go.
var scriptTable []Message

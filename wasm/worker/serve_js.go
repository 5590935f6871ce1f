//go:build js && wasm

package main

import (
	"fmt"
	"io"
	"net/http"
	"syscall/js"

	"github.com/syumai/workers"
)

// serve hands h to syumai/workers and keeps the program running for the
// requests to come, which entry.mjs passes to it one after another (and
// concurrently) until the isolate goes away.
//
// workers.Serve would return, and the program exit, once the first
// response body has been read: syumai/workers ends the program when a
// response body closes, as its worker.mjs starts one per request. So the
// bodies go to JavaScript whole, as a Uint8Array (its response writer's
// WriteRawJSBody), and the body stream that would end the program is never
// used.
//
// Request bodies are read here too (streamBody), not by syumai/workers'
// reader, which leaves a JavaScript callback unreleased for each chunk it
// reads: harmless in a program that serves one request, a leak in one that
// serves them all.
func serve(h http.Handler) {
	workers.ServeNonBlock(rawBody{h})
	workers.Ready()
	select {}
}

// rawJSBodyWriter is what syumai/workers' ResponseWriter implements to take
// a JavaScript value as the body.
type rawJSBodyWriter interface {
	WriteRawJSBody(body js.Value)
}

// rawJSBodyGetter is what syumai/workers' request body implements to give
// the JavaScript ReadableStream it reads.
type rawJSBodyGetter interface {
	GetRawJSBody() js.Value
}

// rawBody serves an http.Handler's response with a body written whole.
type rawBody struct{ h http.Handler }

func (rb rawBody) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, ok := w.(rawJSBodyWriter)
	if !ok {
		panic("worker: syumai/workers' ResponseWriter has no WriteRawJSBody")
	}
	if b, ok := r.Body.(rawJSBodyGetter); ok {
		body := &streamBody{stream: b.GetRawJSBody()}
		defer body.Close()
		r.Body = body
	}
	rec := &recorder{header: w.Header(), status: http.StatusOK}
	rb.h.ServeHTTP(rec, r)
	w.WriteHeader(rec.status)
	body := js.Global().Get("Uint8Array").New(len(rec.body))
	js.CopyBytesToJS(body, rec.body)
	raw.WriteRawJSBody(body)
}

// recorder keeps a response's status and body; its header is the real
// response's.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        []byte
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	r.body = append(r.body, p...)
	return len(p), nil
}

// streamBody reads a JavaScript ReadableStream of bytes.
type streamBody struct {
	stream js.Value
	reader js.Value // the stream's reader, once reading
	chunk  []byte   // what is left of the last chunk read
	err    error    // io.EOF at the end
}

func (b *streamBody) Read(p []byte) (int, error) {
	for len(b.chunk) == 0 && b.err == nil {
		if b.reader.IsUndefined() {
			if b.stream.IsNull() || b.stream.IsUndefined() {
				b.err = io.EOF
				break
			}
			b.reader = b.stream.Call("getReader")
		}
		res, err := await(b.reader.Call("read"))
		switch {
		case err != nil:
			b.err = err
		case res.Get("done").Bool():
			b.err = io.EOF
		default:
			v := res.Get("value")
			b.chunk = make([]byte, v.Get("byteLength").Int())
			js.CopyBytesToGo(b.chunk, v)
		}
	}
	if len(b.chunk) == 0 {
		return 0, b.err
	}
	n := copy(p, b.chunk)
	b.chunk = b.chunk[n:]
	return n, nil
}

// Close cancels what is left of the stream unread.
func (b *streamBody) Close() error {
	if !b.reader.IsUndefined() && b.err == nil {
		b.err = io.ErrClosedPipe
		b.reader.Call("cancel")
	}
	return nil
}

// await waits for a JavaScript promise to settle, releasing both of its
// callbacks after.
func await(promise js.Value) (js.Value, error) {
	done := make(chan js.Value, 1)
	failed := make(chan error, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- args[0]
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		failed <- fmt.Errorf("reading the request body: %s", args[0].Call("toString").String())
		return nil
	})
	defer catch.Release()
	promise.Call("then", then, catch)
	select {
	case v := <-done:
		return v, nil
	case err := <-failed:
		return js.Undefined(), err
	}
}

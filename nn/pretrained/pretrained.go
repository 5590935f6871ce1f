// Package pretrained embeds tegaki's trained network, so that every front
// end (the browser app, the Worker, the command-line tools) classifies with
// the same weights and can show which weights those are.
//
// The embedded file is parsed once, at first use; Net and NewPredictor
// hand out copies of that network, one for each goroutine that classifies.
package pretrained

import (
	_ "embed"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/tegaki/tegaki/nn"
)

// weights is written by `make train` (tools/train).
//
//go:embed tegaki.safetensors
var weights []byte

// SHA256 returns the hex SHA-256 of the embedded model file: the model's
// identity, shown by the page and the API so a redeploy can be verified.
// It does not parse the file.
func SHA256() string { return sha() }

var sha = sync.OnceValue(func() string {
	sum := sum256(weights)
	return hex.EncodeToString(sum[:])
})

// Info describes the embedded model.
type Info struct {
	Name         string  // architecture name
	SHA256       string  // hex SHA-256 of the file
	TestAccuracy float64 // on the 10,000 MNIST test images, as measured by tools/train
	Params       int     // trainable values
	Spec         nn.Spec // the architecture
	Metadata     map[string]string
}

// parses counts the parses of the embedded file: one, however many
// networks are handed out (TestParsedOnce checks).
var parses atomic.Int32

// model is the embedded network, parsed once, and its description. The
// network itself is never handed out, only copies of it.
type model struct {
	net  *nn.Net
	info Info
}

var embedded = sync.OnceValues(func() (*model, error) {
	parses.Add(1)
	net, meta, err := nn.LoadBytes(weights)
	if err != nil {
		return nil, fmt.Errorf("pretrained: embedded model: %w", err)
	}
	i := Info{Name: net.Spec.Name, SHA256: SHA256(), Params: net.NumParams(), Spec: net.Spec, Metadata: meta}
	if s, ok := meta["test_accuracy"]; ok {
		if i.TestAccuracy, err = strconv.ParseFloat(s, 64); err != nil {
			return nil, fmt.Errorf("pretrained: embedded model: test_accuracy %q: %w", s, err)
		}
	}
	return &model{net, i}, nil
})

// Describe returns the description of the embedded model, or the error
// that parsing it gave.
func Describe() (Info, error) {
	m, err := embedded()
	if err != nil {
		return Info{}, err
	}
	return m.info, nil
}

// Net returns a new network with the embedded weights: a copy of the one
// parsed at first use, so that each goroutine can own one (a Net is not
// safe for concurrent use).
func Net() (*nn.Net, error) {
	m, err := embedded()
	if err != nil {
		return nil, err
	}
	return clone(m.net)
}

// clone returns a network of net's architecture with a copy of its
// parameters.
func clone(net *nn.Net) (*nn.Net, error) {
	c, err := net.Spec.Build(0) // the initial weights are overwritten below
	if err != nil {
		return nil, fmt.Errorf("pretrained: copy the network: %w", err)
	}
	src, dst := net.Params(), c.Params()
	for i, p := range src {
		copy(dst[i].Value.Data, p.Value.Data)
	}
	return c, nil
}

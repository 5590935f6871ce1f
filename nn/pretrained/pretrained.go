// Package pretrained embeds tegaki's trained network, so that every front
// end (the browser app, the Worker, the command-line tools) classifies with
// the same weights and can show which weights those are.
package pretrained

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"

	"github.com/tegaki/tegaki/nn"
)

// weights is written by `make train` (tools/train).
//
//go:embed tegaki.safetensors
var weights []byte

// SHA256 returns the hex SHA-256 of the embedded model file: the model's
// identity, shown by the page and the API so a redeploy can be verified.
func SHA256() string { return info().SHA256 }

// Info describes the embedded model.
type Info struct {
	Name         string  // architecture name
	SHA256       string  // hex SHA-256 of the file
	TestAccuracy float64 // on the 10,000 MNIST test images, as measured by tools/train
	Params       int     // trainable values
	Metadata     map[string]string
}

var info = sync.OnceValue(func() Info {
	sum := sha256.Sum256(weights)
	i := Info{SHA256: hex.EncodeToString(sum[:])}
	net, meta, err := nn.LoadBytes(weights)
	if err != nil {
		return i
	}
	i.Name, i.Params, i.Metadata = net.Spec.Name, net.NumParams(), meta
	i.TestAccuracy, _ = strconv.ParseFloat(meta["test_accuracy"], 64)
	return i
})

// Describe returns the description of the embedded model.
func Describe() Info { return info() }

// Net returns a new network with the embedded weights. Each call parses the
// file again and returns an independent network, so each goroutine can own
// one (a Net is not safe for concurrent use).
func Net() (*nn.Net, error) {
	net, _, err := nn.LoadBytes(weights)
	if err != nil {
		return nil, fmt.Errorf("pretrained: embedded model: %w", err)
	}
	return net, nil
}

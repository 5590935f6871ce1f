package pretrained

import (
	"crypto/sha256"
	"math/rand/v2"
	"testing"
)

// TestSum256 checks sum256 against crypto/sha256: FIPS 180-4's examples,
// every length around the padding's block boundaries, random data and the
// embedded model.
func TestSum256(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	inputs := [][]byte{
		[]byte(""),
		[]byte("abc"),
		[]byte("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
		weights,
	}
	for n := range 200 { // 55, 56, 63, 64 and 119, 120 bytes are the edges
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		inputs = append(inputs, b)
	}
	for _, in := range inputs {
		if got, want := sum256(in), sha256.Sum256(in); got != want {
			t.Errorf("sum256 of %d bytes = %x, want %x", len(in), got, want)
		}
	}
}

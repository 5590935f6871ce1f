package augment_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/tegaki/tegaki/nn/augment"
)

// Apply makes a new variant of a digit on every call; a fixed seed makes
// the same variants every time.
func ExampleAugmenter_Apply() {
	const h, w = 12, 12
	seven := strings.Join([]string{
		"............",
		"............",
		"..########..",
		"..########..",
		"........##..",
		".......##...",
		"......##....",
		"......##....",
		".....##.....",
		".....##.....",
		"............",
		"............",
	}, "")
	src := make([]float32, h*w)
	for i, c := range seven {
		if c == '#' {
			src[i] = 1
		}
	}

	// One Augmenter per goroutine; each keeps its own scratch buffers.
	a := augment.New(h, w, augment.Options{MaxShift: 1.5, MaxRotate: 20, MaxScale: 0.1})
	rng := rand.New(rand.NewPCG(1, 2))
	images := [][]float32{src}
	for range 3 {
		dst := make([]float32, h*w)
		a.Apply(dst, src, rng)
		images = append(images, dst)
	}

	// Print the original and the variants side by side: '#' for ink of at
	// least 0.75, '+' for at least 0.25.
	for y := range h {
		var line []string
		for _, img := range images {
			var b strings.Builder
			for _, v := range img[y*w : (y+1)*w] {
				b.WriteByte(".+#"[min(2, int(v*4+1)/2)])
			}
			line = append(line, b.String())
		}
		fmt.Println(strings.Join(line, "  "))
	}
	// Output:
	// ............  ............  ............  ............
	// ............  ............  ....##++++..  ............
	// ..########..  .....++++...  ....#######+  ...+##++....
	// ..########..  .+########..  ......+++##+  ...+######++
	// ........##..  .+########..  ........++#+  ......++###+
	// .......##...  .......+#+..  .......+#+..  .........##.
	// ......##....  ......+##...  .......+#+..  .......+##+.
	// ......##....  ......##....  ......+#+...  ......+#+...
	// .....##.....  .....+##....  ......##....  .....+##+...
	// .....##.....  .....##.....  .......+....  .....##.....
	// ............  .....##.....  ............  .....++.....
	// ............  ............  ............  ............
}

package trace

// A grid is a binary image of w×h pixels, row-major; true is ink.
type grid struct {
	w, h int
	on   []bool
}

// ring lists the eight neighbours of a pixel clockwise from north, in the
// order Zhang and Suen name them P2 … P9: N, NE, E, SE, S, SW, W, NW.
var ring = [8][2]int{{0, -1}, {1, -1}, {1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}}

// at reports whether (x, y) is ink; outside the grid is background.
func (g *grid) at(x, y int) bool {
	return x >= 0 && y >= 0 && x < g.w && y < g.h && g.on[y*g.w+x]
}

// neighbours returns which of the eight neighbours of (x, y) are ink, in
// ring order, and how many are.
func (g *grid) neighbours(x, y int) (p [8]bool, n int) {
	for k, d := range ring {
		if g.at(x+d[0], y+d[1]) {
			p[k] = true
			n++
		}
	}
	return p, n
}

// thin reduces the ink to a skeleton one pixel wide with the parallel
// thinning algorithm of T. Y. Zhang and C. Y. Suen, "A fast parallel
// algorithm for thinning digital patterns", Communications of the ACM
// 27(3), 236–239, 1984. Each iteration has two sub-iterations that delete,
// all at once, the contour pixels that satisfy its conditions: the first
// peels south-east boundaries and north-west corners, the second the
// opposite ones. Then dropCorners makes the skeleton 8-connected.
//
// Zhang–Suen deletes a 2×2 square entirely; a group of ink that vanishes
// so keeps its pixel nearest its centre, a dot.
func (g *grid) thin() {
	before := g.components()
	var del []int
	for changed := true; changed; {
		changed = false
		for step := range 2 {
			del = del[:0]
			for y := range g.h {
				for x := range g.w {
					if g.on[y*g.w+x] && g.deletable(x, y, step) {
						del = append(del, y*g.w+x)
					}
				}
			}
			for _, i := range del {
				g.on[i] = false
			}
			changed = changed || len(del) > 0
		}
	}
	g.dropCorners()
	for _, c := range before {
		if !g.any(c) {
			g.on[central(c, g.w)] = true
		}
	}
}

// deletable reports whether Zhang–Suen's sub-iteration step (0 or 1)
// deletes the ink pixel (x, y). It keeps pixels with only two ink
// neighbours, as H. E. Lü and P. S. P. Wang proposed ("A comment on 'A fast
// parallel algorithm for thinning digital patterns'", Communications of the
// ACM 29(3), 1986): the original test (two to six) eats diagonal strokes
// two pixels thick from their ends, which on MNIST loses whole strokes.
func (g *grid) deletable(x, y, step int) bool {
	p, b := g.neighbours(x, y)
	if b < 3 || b > 6 {
		return false // an end point or a diagonal step; or an inside pixel
	}
	a := 0 // 0→1 patterns around P2 … P9, P2
	for k := range 8 {
		if !p[k] && p[(k+1)%8] {
			a++
		}
	}
	if a != 1 {
		return false // deleting it would split the skeleton
	}
	n, e, s, w := p[0], p[2], p[4], p[6]
	if step == 0 {
		return !(n && e && s) && !(e && s && w)
	}
	return !(n && e && w) && !(n && s && w)
}

// dropCorners removes the pixels that thinning leaves at the elbows of
// staircases, where a diagonal line is 4-connected rather than 8-connected
// and so looks like a run of junctions. An elbow has two ink neighbours at
// a right angle (N and E, say); it goes if it is simple, that is if its
// ink neighbours form a single 8-connected group and one of N, E, S, W is
// background, so that deleting it neither splits the ink nor opens or
// closes a hole.
func (g *grid) dropCorners() {
	for changed := true; changed; {
		changed = false
		for y := range g.h {
			for x := range g.w {
				if !g.on[y*g.w+x] {
					continue
				}
				p, _ := g.neighbours(x, y)
				n, e, s, w := p[0], p[2], p[4], p[6]
				elbow := (n && e) || (e && s) || (s && w) || (w && n)
				if !elbow || (n && e && s && w) || groups(p) != 1 {
					continue
				}
				g.on[y*g.w+x] = false
				changed = true
			}
		}
	}
}

// groups returns the number of 8-connected groups among the ink
// neighbours p of a pixel. Two neighbours touch when they are next to each
// other in the ring, or are both edge neighbours (N, E, S, W) with a corner
// between them, as N and E touch across NE.
func groups(p [8]bool) int {
	var m [8]bool
	for k := range 8 {
		m[k] = p[k] || (k%2 == 1 && p[k-1] && p[(k+1)%8])
	}
	n := 0
	for k := range 8 {
		if !m[k] && m[(k+1)%8] {
			n++
		}
	}
	if n == 0 && m[0] {
		return 1
	}
	return n
}

// components returns the pixels of each 8-connected group of ink.
func (g *grid) components() [][]int {
	var cs [][]int
	seen := make([]bool, len(g.on))
	for i, on := range g.on {
		if !on || seen[i] {
			continue
		}
		seen[i] = true
		c := []int{i}
		for k := 0; k < len(c); k++ {
			x, y := c[k]%g.w, c[k]/g.w
			for _, d := range ring {
				if j := (y+d[1])*g.w + x + d[0]; g.at(x+d[0], y+d[1]) && !seen[j] {
					seen[j] = true
					c = append(c, j)
				}
			}
		}
		cs = append(cs, c)
	}
	return cs
}

// any reports whether any of the pixels c is ink.
func (g *grid) any(c []int) bool {
	for _, i := range c {
		if g.on[i] {
			return true
		}
	}
	return false
}

// central returns the pixel of c nearest to the centre of c, for a grid
// w pixels wide.
func central(c []int, w int) int {
	var sx, sy float64
	for _, i := range c {
		sx, sy = sx+float64(i%w), sy+float64(i/w)
	}
	sx, sy = sx/float64(len(c)), sy/float64(len(c))
	best, bd := c[0], -1.0
	for _, i := range c {
		dx, dy := float64(i%w)-sx, float64(i/w)-sy
		if d := dx*dx + dy*dy; bd < 0 || d < bd {
			best, bd = i, d
		}
	}
	return best
}

package trace

import (
	"cmp"
	"math"
	"slices"
)

// A skeleton is the graph of a thinned image. Its nodes are where the
// skeleton ends or branches; its edges are the one-pixel-wide runs of ink
// between them.
//
// An edge end is named by an int, 2*e for the start of edge e and 2*e+1 for
// its end, so that end^1 is the other end of the same edge.
type skeleton struct {
	nodes []node
	edges []edge
}

// A node is an end point, an isolated pixel or a group of touching
// junction pixels (pixels with three or more ink neighbours).
type node struct {
	at   Point
	ends []int // the edge ends that meet here
	dot  bool  // an isolated pixel
}

// An edge is a run of skeleton pixels from node a to node b. Its points
// start at node a's position and end at node b's. A loop without nodes
// (an O on its own) has a = b = -1 and its last point repeats its first.
type edge struct {
	pts  []Point
	a, b int
	gone bool // pruned
}

// centre returns the centre of pixel i of a w-pixel-wide grid.
func centre(i, w int) Point { return Point{float64(i%w) + 0.5, float64(i/w) + 0.5} }

// newSkeleton builds the graph of the thinned grid g.
func newSkeleton(g *grid) *skeleton {
	s := &skeleton{}
	deg := make([]int, len(g.on))
	label := make([]int, len(g.on)) // node of each node pixel, else -1
	for i := range g.on {
		label[i] = -1
		if g.on[i] {
			_, deg[i] = g.neighbours(i%g.w, i/g.w)
		}
	}
	// adjacent calls f for each ink neighbour of pixel i.
	adjacent := func(i int, f func(j int)) {
		x, y := i%g.w, i/g.w
		for _, d := range ring {
			if g.at(x+d[0], y+d[1]) {
				f((y+d[1])*g.w + x + d[0])
			}
		}
	}
	// Nodes, in raster order. Junction pixels are grouped by flood fill.
	for i, on := range g.on {
		if !on || deg[i] == 2 || label[i] >= 0 {
			continue
		}
		id := len(s.nodes)
		var sum Point
		n := 0
		stack := []int{i}
		label[i] = id
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			c := centre(p, g.w)
			sum.X, sum.Y, n = sum.X+c.X, sum.Y+c.Y, n+1
			if deg[p] < 3 {
				continue
			}
			adjacent(p, func(q int) {
				if deg[q] >= 3 && label[q] < 0 {
					label[q] = id
					stack = append(stack, q)
				}
			})
		}
		s.nodes = append(s.nodes, node{at: Point{sum.X / float64(n), sum.Y / float64(n)}, dot: deg[i] == 0})
	}
	// follow walks from pixel cur, having come from prev, along pixels with
	// two neighbours, appending their centres to pts, until it reaches a
	// node pixel or stop. It returns the points and the pixel it stopped at.
	visited := make([]bool, len(g.on))
	follow := func(pts []Point, prev, cur, stop int) ([]Point, int) {
		for label[cur] < 0 && !visited[cur] {
			visited[cur] = true
			pts = append(pts, centre(cur, g.w))
			next := -1
			adjacent(cur, func(q int) {
				if q != prev {
					next = q
				}
			})
			prev, cur = cur, next
			if cur == stop {
				break
			}
		}
		return pts, cur
	}
	// Edges from each node pixel.
	for i, a := range label {
		if a < 0 {
			continue
		}
		adjacent(i, func(j int) {
			switch b := label[j]; {
			case b == a:
			case b >= 0:
				if i < j { // count each direct link between nodes once
					s.addEdge([]Point{s.nodes[a].at, s.nodes[b].at}, a, b)
				}
			case !visited[j]:
				pts, end := follow([]Point{s.nodes[a].at}, i, j, -1)
				s.addEdge(append(pts, s.nodes[label[end]].at), a, label[end])
			}
		})
	}
	// What is left are loops without nodes.
	for i, on := range g.on {
		if on && label[i] < 0 && !visited[i] {
			first := -1
			adjacent(i, func(q int) { first = q })
			pts, _ := follow(nil, first, i, i)
			s.edges = append(s.edges, edge{pts: append(pts, pts[0]), a: -1, b: -1})
		}
	}
	return s
}

// addEdge adds an edge from node a to node b through pts.
func (s *skeleton) addEdge(pts []Point, a, b int) {
	e := len(s.edges)
	s.edges = append(s.edges, edge{pts: pts, a: a, b: b})
	s.nodes[a].ends = append(s.nodes[a].ends, 2*e)
	s.nodes[b].ends = append(s.nodes[b].ends, 2*e+1)
}

// nodeOf returns the node at edge end e.
func (s *skeleton) nodeOf(e int) int {
	if e%2 == 0 {
		return s.edges[e/2].a
	}
	return s.edges[e/2].b
}

// prune removes spurs: edges shorter than minLen from an end point to a
// junction, which thinning grows from bumps and corners of the outline.
// A junction left with two edges becomes a bend.
func (s *skeleton) prune(minLen float64) {
	for changed := true; changed; {
		changed = false
		for i := range s.edges {
			e := &s.edges[i]
			if e.gone || e.a == e.b || length(e.pts) >= minLen {
				continue
			}
			da, db := len(s.nodes[e.a].ends), len(s.nodes[e.b].ends)
			if (da == 1 && db >= 3) || (db == 1 && da >= 3) {
				e.gone = true
				s.nodes[e.a].ends = slices.DeleteFunc(s.nodes[e.a].ends, func(end int) bool { return end/2 == i })
				s.nodes[e.b].ends = slices.DeleteFunc(s.nodes[e.b].ends, func(end int) bool { return end/2 == i })
				changed = true
			}
		}
	}
}

// length returns the total length of the edges.
func (s *skeleton) length() float64 {
	sum := 0.0
	for _, e := range s.edges {
		if !e.gone {
			sum += length(e.pts)
		}
	}
	return sum
}

// heading returns the unit vector in which edge end e leaves its node,
// looking a few pixels ahead to see past the pixel grid's steps.
func (s *skeleton) heading(e int) Point {
	const ahead = 3.0
	pts := s.edges[e/2].pts
	if e%2 == 1 {
		pts = slices.Clone(pts)
		slices.Reverse(pts)
	}
	var d Point
	for _, p := range pts[1:] {
		d = Point{p.X - pts[0].X, p.Y - pts[0].Y}
		if math.Hypot(d.X, d.Y) >= ahead {
			break
		}
	}
	if r := math.Hypot(d.X, d.Y); r > 0 {
		d.X, d.Y = d.X/r, d.Y/r
	}
	return d
}

// pair decides how a pen passes through each node: the edge ends that meet
// there are paired, most nearly opposite (the straightest continuation)
// first, until at most one is left. It returns each end's partner, or -1
// for an end where a stroke starts or stops.
func (s *skeleton) pair() []int {
	partner := make([]int, 2*len(s.edges))
	for i := range partner {
		partner[i] = -1
	}
	type candidate struct {
		e, f int
		cos  float64
	}
	for _, n := range s.nodes {
		var cs []candidate
		for i, e := range n.ends {
			for _, f := range n.ends[i+1:] {
				he, hf := s.heading(e), s.heading(f)
				cs = append(cs, candidate{e, f, he.X*hf.X + he.Y*hf.Y})
			}
		}
		slices.SortStableFunc(cs, func(a, b candidate) int { return cmp.Compare(a.cos, b.cos) })
		for _, c := range cs {
			if partner[c.e] < 0 && partner[c.f] < 0 {
				partner[c.e], partner[c.f] = c.f, c.e
			}
		}
	}
	return partner
}

// paths covers the edges with as few pen paths as the pairing allows, each
// a list of edge ends that the pen leaves by. Open paths run between
// unpaired ends, starting from the top; then come the closed ones. A
// closed path that shares a node with another path is spliced into it, as
// a pen draws the loop of a 6 or a 9 without lifting.
func (s *skeleton) paths() [][]int {
	partner := s.pair()
	used := make([]bool, len(s.edges))
	walk := func(e int) []int {
		var path []int
		for {
			used[e/2] = true
			path = append(path, e)
			next := partner[e^1]
			if next < 0 || used[next/2] {
				return path
			}
			e = next
		}
	}
	var free []int
	for _, n := range s.nodes {
		for _, e := range n.ends {
			if partner[e] < 0 {
				free = append(free, e)
			}
		}
	}
	slices.SortStableFunc(free, func(e, f int) int {
		p, q := s.nodes[s.nodeOf(e)].at, s.nodes[s.nodeOf(f)].at
		return cmp.Or(cmp.Compare(p.Y, q.Y), cmp.Compare(p.X, q.X))
	})
	var paths [][]int
	for _, e := range free {
		if !used[e/2] {
			paths = append(paths, walk(e))
		}
	}
	for i, e := range s.edges {
		if !used[i] && !e.gone {
			paths = append(paths, walk(2*i))
		}
	}
	// visits returns the nodes a path passes through: visits[k] is the node
	// before step k, and the last one the node after the last step.
	visits := func(path []int) []int {
		v := []int{s.nodeOf(path[0])}
		for _, e := range path {
			v = append(v, s.nodeOf(e^1))
		}
		return v
	}
	for spliced := true; spliced; {
		spliced = false
	search:
		for c, loop := range paths {
			lv := visits(loop)
			if lv[0] != lv[len(lv)-1] || lv[0] < 0 {
				continue
			}
			for p, path := range paths {
				if p == c {
					continue
				}
				for j, v := range visits(path) {
					k := slices.Index(lv[:len(loop)], v)
					if k < 0 {
						continue
					}
					rotated := append(slices.Clone(loop[k:]), loop[:k]...)
					paths[p] = slices.Insert(path, j, rotated...)
					paths = slices.Delete(paths, c, c+1)
					spliced = true
					break search
				}
			}
		}
	}
	return paths
}

// points returns the polyline of a path.
func (s *skeleton) points(path []int) []Point {
	var pts []Point
	for _, e := range path {
		seg := s.edges[e/2].pts
		if e%2 == 1 {
			seg = slices.Clone(seg)
			slices.Reverse(seg)
		}
		if len(pts) > 0 {
			seg = seg[1:]
		}
		pts = append(pts, seg...)
	}
	return pts
}

// length returns the length of a polyline.
func length(pts []Point) float64 {
	sum := 0.0
	for i := 1; i < len(pts); i++ {
		sum += math.Hypot(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y)
	}
	return sum
}

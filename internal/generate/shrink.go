package generate

import (
	"regexp"
	"strconv"
)

// Shrink reduces a failing case to a smaller one that still fails, the way property-based testing tools
// do: it tries smaller bodies (a member or an item removed, a value replaced by one of its children, a
// chain of nesting cut short, a string or name halved, a number made short) and keeps the first that
// judge gives the same verdict and that fails still reports failing, until no smaller body fails or
// budget calls to fails are spent. The result is 1-minimal under those moves when the budget lasts.
// It returns the smallest case found and how many times it called fails.
func Shrink(c *Case, judge func(*Case) (Expect, error), fails func(*Case) bool, budget int) (*Case, int) {
	want, err := judge(c)
	if err != nil {
		return c, 0
	}
	cur, calls := c, 0
	try := func(k *Case) bool {
		e, err := judge(k)
		if err != nil || e.Verdict != want.Verdict {
			return false
		}
		calls++
		k.Expect = e
		if !fails(k) {
			return false
		}
		cur = k
		return true
	}
	for calls < budget {
		improved := false
		if cur.Node == nil {
			for _, raw := range rawCandidates(cur.Raw) {
				if calls >= budget {
					break
				}
				if try(&Case{Name: cur.Name, Classes: cur.Classes, Raw: raw}) {
					improved = true
					break
				}
			}
		} else {
			candidates(cur.Node, func(n *Node) bool {
				if calls >= budget {
					return false
				}
				if try(&Case{Name: cur.Name, Classes: cur.Classes, Node: n}) {
					improved = true
					return false
				}
				return true
			})
		}
		if !improved {
			break
		}
	}
	return cur, calls
}

func rawCandidates(b []byte) [][]byte {
	if len(b) < 2 {
		return nil
	}
	h := len(b) / 2
	return [][]byte{b[:h], b[h:], b[:len(b)-1]}
}

// candidates yields smaller versions of root, the biggest reductions first, until yield returns false.
func candidates(root *Node, yield func(*Node) bool) {
	type item struct {
		n    *Node
		path []string
	}
	replace := func(path []string, v *Node) bool { return yield(replaceAt(root, path, v)) }
	// Pass 1: structure (members, items, hoisting, chains), outermost first.
	stack := []item{{root, nil}}
	var scalars []item
	for len(stack) > 0 {
		it := stack[0]
		stack = stack[1:]
		n, path := it.n, it.path
		switch n.Kind {
		case Object:
			for i := range n.Members {
				c := *n
				c.Members = append(append([]Member(nil), n.Members[:i]...), n.Members[i+1:]...)
				if !replace(path, &c) {
					return
				}
			}
		case Array:
			if len(n.Items) > 1 {
				c := *n
				c.Items = n.Items[:len(n.Items)/2]
				if !replace(path, &c) {
					return
				}
			}
			for i := range n.Items {
				c := *n
				c.Items = append(append([]*Node(nil), n.Items[:i]...), n.Items[i+1:]...)
				if !replace(path, &c) {
					return
				}
			}
		default:
			scalars = append(scalars, it)
			continue
		}
		// Hoisting: a container replaced by what it holds. A chain of single-child containers is cut
		// by halves, quarters, ... down to one level, so thousands of levels take a few dozen tries.
		length, keys := chainOf(n)
		if length > 1 {
			for cut := length / 2; cut >= 1; cut /= 2 {
				if !replace(path, descend(n, cut)) {
					return
				}
			}
			end := descend(n, length)
			stack = append(stack, item{end, append(append([]string(nil), path...), keys...)})
			continue
		}
		for i, kid := range n.children() {
			if !replace(path, kid) {
				return
			}
			stack = append(stack, item{kid, append(append([]string(nil), path...), childKey(n, i))})
		}
	}
	// Pass 2: member names, then scalars.
	stack = []item{{root, nil}}
	for len(stack) > 0 {
		it := stack[0]
		stack = stack[1:]
		n := it.n
		if n.Kind == Object {
			for i, m := range n.Members {
				for _, k := range halves(m.Key) {
					c := *n
					c.Members = append([]Member(nil), n.Members...)
					c.Members[i].Key = k
					if !replace(it.path, &c) {
						return
					}
				}
			}
		}
		length, keys := chainOf(n)
		if length > 1 {
			stack = append(stack, item{descend(n, length), append(append([]string(nil), it.path...), keys...)})
			continue
		}
		for i, kid := range n.children() {
			stack = append(stack, item{kid, append(append([]string(nil), it.path...), childKey(n, i))})
		}
	}
	for _, it := range scalars {
		switch it.n.Kind {
		case String:
			for _, h := range halves(it.n.Text) {
				if !replace(it.path, strNode(h)) {
					return
				}
			}
		case Number:
			for _, lit := range shorterNumbers(it.n.Text) {
				if !replace(it.path, numNode(lit)) {
					return
				}
			}
		case Bool, Null:
		}
	}
}

// chainOf measures the chain of single-child containers that starts at n: how many levels it has
// before a node that is not one, and the keys along it.
func chainOf(n *Node) (int, []string) {
	var keys []string
	length := 0
	for (n.Kind == Array || n.Kind == Object) && len(n.children()) == 1 {
		keys = append(keys, childKey(n, 0))
		n = n.children()[0]
		length++
	}
	return length, keys
}

func descend(n *Node, levels int) *Node {
	for range levels {
		n = n.children()[0]
	}
	return n
}

func childKey(n *Node, i int) string {
	if n.Kind == Object {
		return n.Members[i].Key
	}
	return strconv.Itoa(i)
}

// halves are the two halves of s, cut at a byte (invalid UTF-8 is kept as it is), then s without its
// last byte; nothing for strings of one byte or none.
func halves(s string) []string {
	if len(s) < 2 {
		return nil
	}
	h := len(s) / 2
	return []string{s[:h], s[h:], s[:len(s)-1]}
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// shorterNumbers are shorter JSON number literals: 0, and lit with its last character dropped when
// that still is a number.
func shorterNumbers(lit string) []string {
	var out []string
	if lit != "0" {
		out = append(out, "0")
	}
	if len(lit) > 1 && jsonNumber.MatchString(lit[:len(lit)-1]) {
		out = append(out, lit[:len(lit)-1])
	}
	return out
}

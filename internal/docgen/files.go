package docgen

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Load reads the pages named in docs and the method pages (IsMethodPage)
// directly inside each of dirs, in a stable order.
func Load(docs, dirs []string) ([]Input, error) {
	var inputs []Input
	for _, d := range docs {
		src, err := readPage(d)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, Input{Name: d, Src: src})
	}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".md") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			p := filepath.Join(dir, n)
			src, err := readPage(p)
			if err != nil {
				return nil, err
			}
			if IsMethodPage(src) {
				inputs = append(inputs, Input{Name: p, Src: src})
			}
		}
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("no method page among %s", strings.Join(append(append([]string(nil), docs...), dirs...), ", "))
	}
	return inputs, nil
}

// readPage reads the page at path, stopping one byte past maxPageBytes: a
// path such as /dev/zero or a pipe is never read whole before the limit
// applies.
func readPage(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxPageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(src) > maxPageBytes {
		return nil, tooLarge(path)
	}
	return src, nil
}

// Render returns every file the operations generate, sorted by path.
func Render(ops []*Operation) ([]File, error) {
	var files []File
	for _, op := range ops {
		fs, err := op.Files()
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// WriteFiles writes files under dir (dir/features/..., dir/fixtures/...).
func WriteFiles(dir string, files []File) error {
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

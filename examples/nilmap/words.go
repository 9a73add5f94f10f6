// Package nilmap is a small, realistic Go package with a few map bugs that
// compile cleanly and pass `go vet`, but that mapvet reports:
//
//   - CountWords stores into a nil map (MV001 nil-map-write): it panics with
//     "assignment to entry in nil map" on the first word.
//   - ResetStock reassigns its map parameter (MV003 lost-map-param-assign):
//     the caller never sees the new map.
//   - AddPlurals inserts new keys into the map it is ranging over
//     (MV007 insert-during-range): the new keys may or may not be visited.
//   - BuildIndex stores into the nil map field of a zero struct (MV001).
//
// Run `mapvet check examples/nilmap` from the repository root.
package nilmap

import (
	"sort"
	"strings"
)

// CountWords returns how often each word of text occurs, case-insensitively.
func CountWords(text string) map[string]int {
	var counts map[string]int // never made: still nil below
	for _, w := range strings.Fields(text) {
		counts[strings.ToLower(w)]++ // MV001: panics on the first word
	}
	return counts
}

// AddPlurals adds the naive plural of every word, with the same count.
func AddPlurals(counts map[string]int) {
	for w, n := range counts {
		counts[w+"s"] += n // MV007: new key while ranging over counts
	}
}

// TopWords returns the n most frequent words, most frequent first.
// (Correct: reads of a nil map are fine, so no diagnostic here.)
func TopWords(counts map[string]int, n int) []string {
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	if len(words) > n {
		words = words[:n]
	}
	return words
}

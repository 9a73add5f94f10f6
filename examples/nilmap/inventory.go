package nilmap

import "fmt"

// Inventory tracks stock per item for one warehouse.
type Inventory struct {
	Name  string
	Stock map[string]int
}

// NewInventory returns an empty inventory. (Correct: the map is made.)
func NewInventory(name string) *Inventory {
	return &Inventory{Name: name, Stock: make(map[string]int)}
}

// Add records n more units of item. (Correct: lazy initialisation.)
func (inv *Inventory) Add(item string, n int) {
	if inv.Stock == nil {
		inv.Stock = make(map[string]int)
	}
	inv.Stock[item] += n
}

// ResetStock is meant to clear the caller's stock and seed it with the given
// items, but it only rebinds its own copy of the map header.
func ResetStock(stock map[string]int, items []string) {
	stock = make(map[string]int) // MV003: the caller keeps the old map
	for _, it := range items {
		stock[it] = 0
	}
	fmt.Println("stock reset:", len(stock), "items")
}

// Index maps item names to their position in a catalogue.
type Index struct {
	byName map[string]int
}

// BuildIndex indexes names by position.
func BuildIndex(names []string) Index {
	var idx Index // idx.byName is nil
	for i, name := range names {
		idx.byName[name] = i // MV001: store into the nil field of a zero struct
	}
	return idx
}

// Position returns the position of name, or -1.
func (idx Index) Position(name string) int {
	if i, ok := idx.byName[name]; ok {
		return i
	}
	return -1
}

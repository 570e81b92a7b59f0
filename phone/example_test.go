package phone_test

import (
	"fmt"

	"github.com/tssguard/tssguard/phone"
)

func ExampleFind() {
	text := "Access blocked. Call Windows Support +1 (844) 555-0142 now. Scanned 51,900 files on 02-12-2016."
	for _, n := range phone.Find(text, phone.Options{}) {
		fmt.Println(n.E164, n.Type, n.Region, "at", n.Offset)
	}
	// Output:
	// +18445550142 toll-free US at 37
}

func ExampleParse() {
	n, err := phone.Parse("tel:%2B1-844-555-0142;ext=7", phone.Options{})
	fmt.Println(n.E164, err)
	// Output:
	// +18445550142 <nil>
}

func ExampleFromURL() {
	for _, p := range phone.FromURL("https://alert.example/?ph=18445550142&lang=en", phone.Options{}) {
		fmt.Println(p.Param, p.Number.E164)
	}
	// Output:
	// ph +18445550142
}

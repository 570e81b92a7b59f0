package phone_test

import (
	"errors"
	"fmt"

	"github.com/tssguard/tssguard/phone"
)

// Find reads the hotline of a fake alert and leaves the other figures alone.
func ExampleFind() {
	text := "Access to this PC has been blocked. Error # 0x80070424. Scanned 51,900 files on 02-12-2016 at 10:30:45. " +
		"Call Windows Support +1 (844) 555-0142 (toll free) or 1-888-555-0117."
	for _, n := range phone.Find(text, phone.Options{}) {
		fmt.Printf("%s %s %s at %d: %q\n", n.E164, n.Type, n.Region, n.Offset, n.Raw)
	}
	// Output:
	// +18445550142 toll-free US at 125: "+1 (844) 555-0142"
	// +18885550117 toll-free US at 158: "1-888-555-0117"
}

// Numbers written without a country code need region hints; take them from
// the page's lang attribute. Full-width digits are read as written.
func ExampleFind_regions() {
	text := "ウイルスが検出されました。サポート窓口：０１２０－１２３－４５６ または 050-1234-5678"
	opts := phone.Options{Regions: phone.RegionsForLang("ja")}
	for _, n := range phone.Find(text, opts) {
		fmt.Println(n.E164, n.Type, n.Region)
	}
	// Output:
	// +81120123456 toll-free JP
	// +815012345678 voip JP
}

// Parse reads the number of a click-to-call link.
func ExampleParse() {
	for _, s := range []string{
		"tel:%2B1-844-555-0142;ext=7",
		"callto://+18445550142",
		"sip:+442079460018@voip.example;user=phone",
		"tel:+1-800-000-0000", // a placeholder, not a valid number
	} {
		n, err := phone.Parse(s, phone.Options{})
		switch {
		case errors.Is(err, phone.ErrNotNumber):
			fmt.Println("not a number:", s)
		case err == nil:
			fmt.Println(n.E164, n.Type)
		}
	}
	// Output:
	// +18445550142 toll-free
	// +18445550142 toll-free
	// +442079460018 fixed-line
	// not a number: tel:+1-800-000-0000
}

// FromURL reads the number a scam template takes from its URL.
func ExampleFromURL() {
	url := "https://alert.example/win/?gclid=EAIaIQob&ph=%2B1-844-555-0142&ts=1694042833969#n1=8885550117"
	for _, p := range phone.FromURL(url, phone.Options{}) {
		fmt.Println(p.Param, p.Number.E164)
	}
	// Output:
	// ph +18445550142
	// n1 +18885550117
}

func ExampleRegionsForLang() {
	fmt.Println(phone.RegionsForLang("ja"))
	fmt.Println(phone.RegionsForLang("fr"))
	fmt.Println(phone.RegionsForLang("de-AT"))
	// Output:
	// [JP US]
	// [FR CA BE CH US]
	// [AT DE CH US]
}

package intel

import "testing"

func TestReflectedPattern(t *testing.T) {
	tests := []struct {
		url    string
		params []string
		want   string
	}{
		{"https://support.brand.com/help/contact?phone=%2B18885550100", []string{"phone"}, "support.brand.com/help/contact?phone="},
		{"https://Support.Brand.COM.:443/help/./x/../contact?b=1&phone=2#frag", []string{"phone", "n1", "phone", " "}, "support.brand.com/help/contact?n1=&phone="},
		{"http://shop.example:8080/", []string{"ph"}, "shop.example/?ph="},
		{"http://shop.example", []string{"ph"}, "shop.example/?ph="},
		{"https://docs.example/a/b/", []string{"num"}, "docs.example/a/b/?num="},
		{"https://site.example/p", []string{"a b&c"}, "site.example/p?a+b%26c="},
		{"https://[2001:db8::1]/p?x=1", []string{"x"}, "[2001:db8::1]/p?x="},
		{"https:///nohost", []string{"phone"}, "nohost/?phone="}, // as browsers read it
	}
	for _, tt := range tests {
		got, ok := ReflectedPattern(tt.url, tt.params)
		if !ok || got != tt.want {
			t.Errorf("ReflectedPattern(%q, %q) = %q, %v; want %q", tt.url, tt.params, got, ok, tt.want)
		}
	}
	for _, bad := range []struct {
		url    string
		params []string
	}{
		{"https://support.brand.com/help", nil},
		{"https://support.brand.com/help", []string{""}},
		{"file:///etc/passwd", []string{"phone"}},
		{"javascript:alert(1)", []string{"phone"}},
		{"%%%", []string{"phone"}},
	} {
		if got, ok := ReflectedPattern(bad.url, bad.params); ok {
			t.Errorf("ReflectedPattern(%q, %q) = %q, want not ok", bad.url, bad.params, got)
		}
	}
}

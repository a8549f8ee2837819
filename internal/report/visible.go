package report

import (
	"reflect"

	"github.com/graphconform/graphconform/internal/check"
)

// visible returns a copy of r in which every string, whatever field holds it, has its control characters made
// visible by check.Visible, the one function every output of the suite renders outside text with. A target's
// ESC, BEL or CR then shows as \x1b, \x07, \x0d in the console summary, the Markdown and the JSON alike
// (JSON would escape them too, as \u001b; made visible first, the text reads the same in every format). Every
// writer renders this copy, so a field added later is covered without being listed here.
func (r *Report) visible() *Report {
	c := *r
	visibleValue(reflect.ValueOf(&c).Elem())
	return &c
}

// visibleValue makes the strings under v visible, copying slices and maps before it changes them so the
// original report is left as it was.
func visibleValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); v.CanSet() && check.Visible(s) != s {
			v.SetString(check.Visible(s))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				visibleValue(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() || !v.CanSet() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := range c.Len() {
			visibleValue(c.Index(i))
		}
		v.Set(c)
	case reflect.Pointer:
		if v.IsNil() || !v.CanSet() {
			return
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(v.Elem())
		visibleValue(c.Elem())
		v.Set(c)
	case reflect.Map:
		if v.IsNil() || !v.CanSet() {
			return
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			k.Set(it.Key())
			e.Set(it.Value())
			visibleValue(k)
			visibleValue(e)
			c.SetMapIndex(k, e)
		}
		v.Set(c)
	}
}

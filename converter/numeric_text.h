// Numbers as text, fitted to a PostgreSQL target type before COPY, so that a
// value PostgreSQL would refuse becomes a rejected row and a value it would
// round is rounded here and counted: nothing is left to COPY to decide.
//
// Inputs are MySQL's number text: integers, DECIMAL ("-12.50"), and FLOAT or
// DOUBLE in the shortest form that reads back to the same bits ("1.5e300").
// Outputs are accepted alike by COPY text and by EncodeBinaryValue: numeric
// without exponent, floats in their shortest exact form. Pure functions;
// thread-safe.
#ifndef MY2PG_CONVERTER_NUMERIC_TEXT_H_
#define MY2PG_CONVERTER_NUMERIC_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace my2pg {

enum class NumberFit {
  kExact,     // written as it is
  kRounded,   // written rounded (to the scale, or to the nearest float)
  kOverflow,  // too large (or too small, for real) for the target type
  kInvalid,   // not a number
};

// Appends "text" as numeric with "scale" fraction digits, rounded half away
// from zero as PostgreSQL rounds numeric, if it has at most
// "precision" - "scale" integer digits. "precision" 0: unconstrained numeric
// (every digit kept, exponent spelled out; "scale" ignored). On kOverflow and
// kInvalid nothing is appended.
NumberFit FitNumeric(std::string_view text, int precision, int scale, std::string& out);

// Appends "text" as the nearest real ("single") or double precision value, in
// its shortest exact form. kRounded if that value differs from "text"'s number;
// kOverflow if it is infinite, or a nonzero that becomes zero (PostgreSQL
// refuses both).
NumberFit FitFloat(std::string_view text, bool single, std::string& out);

// Parses a decimal int64 ("-42", "+7"); false if "text" is not one or is
// out of range.
bool ParseInt64(std::string_view text, int64_t* value);

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_NUMERIC_TEXT_H_

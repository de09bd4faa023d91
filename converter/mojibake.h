// Mojibake repair: UTF-8 text that was once (or more) decoded as Windows-1252
// and stored again, as legacy applications writing UTF-8 into latin1 columns
// do: "CafÃ©" -> "Café", "ArrivÃ©e â€” ..." -> "Arrivée — ...". Genuine
// latin1 text is left alone: "Müller" re-encoded is not valid UTF-8.
#ifndef MY2PG_CONVERTER_MOJIBAKE_H_
#define MY2PG_CONVERTER_MOJIBAKE_H_

#include <string>

namespace my2pg {

// "text" is valid UTF-8. If its Windows-1252 encoding is itself valid UTF-8
// with non-ASCII characters, "text" becomes that, again until it is not (at
// most three rounds, for text encoded twice or thrice). Returns true if it
// changed. "scratch" is working space.
bool RepairMojibake(std::string& text, std::string& scratch);

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_MOJIBAKE_H_

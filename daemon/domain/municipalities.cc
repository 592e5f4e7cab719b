#include "daemon/domain/municipalities.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace hop::domain {
namespace {

// EHAK codes of the 79 municipalities after the 2017 administrative reform, ordered by code
// (FindMunicipality binary-searches; municipalities_test checks order, uniqueness and count).
// Source file is UTF-8.
constexpr Municipality kMunicipalities[] = {
    {"0130", "Alutaguse vald", "Ida-Virumaa"},
    {"0141", "Anija vald", "Harjumaa"},
    {"0142", "Antsla vald", "Võrumaa"},
    {"0171", "Elva vald", "Tartumaa"},
    {"0184", "Haapsalu linn", "Läänemaa"},
    {"0191", "Haljala vald", "Lääne-Virumaa"},
    {"0198", "Harku vald", "Harjumaa"},
    {"0205", "Hiiumaa vald", "Hiiumaa"},
    {"0214", "Häädemeeste vald", "Pärnumaa"},
    {"0245", "Jõelähtme vald", "Harjumaa"},
    {"0247", "Jõgeva vald", "Jõgevamaa"},
    {"0251", "Jõhvi vald", "Ida-Virumaa"},
    {"0255", "Järva vald", "Järvamaa"},
    {"0272", "Kadrina vald", "Lääne-Virumaa"},
    {"0283", "Kambja vald", "Tartumaa"},
    {"0284", "Kanepi vald", "Põlvamaa"},
    {"0291", "Kastre vald", "Tartumaa"},
    {"0293", "Kehtna vald", "Raplamaa"},
    {"0296", "Keila linn", "Harjumaa"},
    {"0303", "Kihnu vald", "Pärnumaa"},
    {"0304", "Kiili vald", "Harjumaa"},
    {"0317", "Kohila vald", "Raplamaa"},
    {"0321", "Kohtla-Järve linn", "Ida-Virumaa"},
    {"0338", "Kose vald", "Harjumaa"},
    {"0353", "Kuusalu vald", "Harjumaa"},
    {"0424", "Loksa linn", "Harjumaa"},
    {"0430", "Lääneranna vald", "Pärnumaa"},
    {"0431", "Lääne-Harju vald", "Harjumaa"},
    {"0432", "Luunja vald", "Tartumaa"},
    {"0441", "Lääne-Nigula vald", "Läänemaa"},
    {"0442", "Lüganuse vald", "Ida-Virumaa"},
    {"0446", "Maardu linn", "Harjumaa"},
    {"0478", "Muhu vald", "Saaremaa"},
    {"0480", "Mulgi vald", "Viljandimaa"},
    {"0486", "Mustvee vald", "Jõgevamaa"},
    {"0503", "Märjamaa vald", "Raplamaa"},
    {"0511", "Narva linn", "Ida-Virumaa"},
    {"0514", "Narva-Jõesuu linn", "Ida-Virumaa"},
    {"0528", "Nõo vald", "Tartumaa"},
    {"0557", "Otepää vald", "Valgamaa"},
    {"0567", "Paide linn", "Järvamaa"},
    {"0586", "Peipsiääre vald", "Tartumaa"},
    {"0615", "Põhja-Sakala vald", "Viljandimaa"},
    {"0618", "Põltsamaa vald", "Jõgevamaa"},
    {"0622", "Põlva vald", "Põlvamaa"},
    {"0624", "Pärnu linn", "Pärnumaa"},
    {"0638", "Põhja-Pärnumaa vald", "Pärnumaa"},
    {"0651", "Raasiku vald", "Harjumaa"},
    {"0653", "Rae vald", "Harjumaa"},
    {"0661", "Rakvere vald", "Lääne-Virumaa"},
    {"0663", "Rakvere linn", "Lääne-Virumaa"},
    {"0668", "Rapla vald", "Raplamaa"},
    {"0689", "Ruhnu vald", "Saaremaa"},
    {"0698", "Rõuge vald", "Võrumaa"},
    {"0708", "Räpina vald", "Põlvamaa"},
    {"0712", "Saarde vald", "Pärnumaa"},
    {"0714", "Saaremaa vald", "Saaremaa"},
    {"0718", "Saku vald", "Harjumaa"},
    {"0726", "Saue vald", "Harjumaa"},
    {"0732", "Setomaa vald", "Võrumaa"},
    {"0735", "Sillamäe linn", "Ida-Virumaa"},
    {"0784", "Tallinn", "Harjumaa"},
    {"0792", "Tapa vald", "Lääne-Virumaa"},
    {"0793", "Tartu linn", "Tartumaa"},
    {"0796", "Tartu vald", "Tartumaa"},
    {"0803", "Toila vald", "Ida-Virumaa"},
    {"0809", "Tori vald", "Pärnumaa"},
    {"0824", "Tõrva vald", "Valgamaa"},
    {"0834", "Türi vald", "Järvamaa"},
    {"0855", "Valga vald", "Valgamaa"},
    {"0890", "Viimsi vald", "Harjumaa"},
    {"0897", "Viljandi linn", "Viljandimaa"},
    {"0899", "Viljandi vald", "Viljandimaa"},
    {"0901", "Vinni vald", "Lääne-Virumaa"},
    {"0903", "Viru-Nigula vald", "Lääne-Virumaa"},
    {"0907", "Vormsi vald", "Läänemaa"},
    {"0917", "Võru vald", "Võrumaa"},
    {"0919", "Võru linn", "Võrumaa"},
    {"0928", "Väike-Maarja vald", "Lääne-Virumaa"},
};

constexpr size_t kMaxEchoedChars = 16;

// The code as shown in a message: C-escaped and cut short, so hostile input stays readable.
std::string Echo(absl::string_view code) {
  if (code.size() <= kMaxEchoedChars) return absl::CHexEscape(code);
  return absl::StrCat(absl::CHexEscape(code.substr(0, kMaxEchoedChars)), "...");
}

bool AllDigits(absl::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

absl::Span<const Municipality> AllMunicipalities() { return kMunicipalities; }

const Municipality* FindMunicipality(absl::string_view code) {
  const Municipality* begin = std::begin(kMunicipalities);
  const Municipality* end = std::end(kMunicipalities);
  const Municipality* it = std::lower_bound(
      begin, end, code, [](const Municipality& m, absl::string_view c) { return m.code < c; });
  if (it == end || it->code != code) return nullptr;
  return it;
}

absl::Status ValidateMunicipalityCode(absl::string_view code, absl::string_view field) {
  if (FindMunicipality(code) != nullptr) return absl::OkStatus();
  // Suggest the zero-padded code when the leading zero was lost (793 -> 0793), else Tartu linn.
  const Municipality* hint = nullptr;
  if (!code.empty() && code.size() < 4 && AllDigits(code)) {
    hint = FindMunicipality(absl::StrCat(std::string(4 - code.size(), '0'), code));
  }
  if (hint == nullptr) hint = FindMunicipality("0793");
  const std::string what = code.empty()
                               ? std::string("is empty")
                               : absl::StrCat("unknown municipality code \"", Echo(code), "\"");
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what,
                                                 "; expected a 4-digit EHAK code such as ",
                                                 hint->code, " (", hint->name, ")"));
}

}  // namespace hop::domain

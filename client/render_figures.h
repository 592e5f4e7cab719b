// Rendering of county figures (CaseWork.CountyFigures) for hopctl: human tables and CSV.
// Pure; thread-compatible.
#ifndef HOP_CLIENT_RENDER_FIGURES_H_
#define HOP_CLIENT_RENDER_FIGURES_H_

#include <string>

#include "hop/v1/casework.pb.h"

namespace hop::client {

// One table per dimension: municipalities as rows ("0283 Kambja vald"), the categories and
// the total as columns, "<5" for a suppressed cell, the county row last; then the legend and
// the municipalities missing, with why.
std::string RenderFigures(const hop::v1::CountyFiguresResponse& figures);

// One tidy CSV (RFC 4180, CRLF line ends) with the header line
//   municipality,dimension,category,count,suppressed
// one line per cell and per total ("total"), the county as municipality "county"; a
// suppressed cell has an empty count and suppressed "true".
std::string RenderFiguresCsv(const hop::v1::CountyFiguresResponse& figures);

}  // namespace hop::client

#endif  // HOP_CLIENT_RENDER_FIGURES_H_

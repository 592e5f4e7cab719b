// The whole of hopctl as a function, so that tests can run it in-process.
#ifndef HOP_CLIENT_HOPCTL_H_
#define HOP_CLIENT_HOPCTL_H_

#include <ostream>
#include <string>
#include <vector>

#include "client/client_config.h"

namespace hop::client {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // refused by the server, or the call failed
inline constexpr int kExitUsage = 2;   // bad command line or config

// Runs hopctl with `args` (argv without the program name): parses, prints help or runs the
// command. Results go to `out`; errors to `err` as "hopctl: CODE: message" (server refusals)
// or "hopctl: message" (usage). Returns the exit code above.
int RunHopctl(const std::vector<std::string>& args, const ConfigEnv& env, std::ostream& out,
              std::ostream& err);

}  // namespace hop::client

#endif  // HOP_CLIENT_HOPCTL_H_

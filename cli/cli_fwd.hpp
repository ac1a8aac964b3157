// CLI::App declared, not defined: headers that only pass an app by reference
// include this. CLI11 itself is included where options are declared (each
// command's .cpp): it costs about 3 s of compile in every file that includes
// it, since its virtual functions are emitted in each.
#pragma once

namespace CLI {
class App;
}

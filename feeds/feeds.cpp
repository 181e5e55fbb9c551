// Placeholder translation unit until the first renderer lands.
namespace podcastd::feeds {}

# Install rules of the two executables and the Debian packages built from them by CPack (packaging/build-deb.sh).
#
# Two packages, one per component:
#   evalsandbox-cli  the headless engine, simulator and reports (Qt Core, Network, Gui, Svg; no Widgets, no Charts),
#                    for CI runners and cluster nodes that have no display;
#   evalsandbox      the desktop workbench. It depends on evalsandbox-cli of the same version instead of carrying a
#                    second copy of the engine: a desktop user gets the CLI (and its manual page and completion)
#                    for scripting, and a headless machine never pulls in Widgets, Charts or a keychain.
# Depends are computed by dpkg-shlibdeps from the linked libraries; plugins Qt loads at run time (platform
# plugins) and a font are added by name, since no linker sees them.
include(GNUInstallDirs)

install(TARGETS evalsandbox-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
if(TARGET evalsandbox)
  install(TARGETS evalsandbox RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT gui)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME evalsandbox)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "AGI Evaluation Sandbox developers")
set(CPACK_PACKAGE_CONTACT "AGI Evaluation Sandbox developers <maintainers@evalsandbox.invalid>")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/evalsandbox/evalsandbox")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/dist)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL cli gui)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)

set(CPACK_DEBIAN_CLI_PACKAGE_NAME evalsandbox-cli)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION devel)
# The offscreen platform plugin paints PDF and SVG reports; a font makes their text visible.
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "qt6-qpa-plugins, fonts-dejavu-core | fonts-liberation2")
set(CPACK_DEBIAN_CLI_PACKAGE_RECOMMENDS "bash-completion")
set(CPACK_COMPONENT_CLI_DESCRIPTION
  "LLM endpoint evaluation and load testing, headless
 The command-line engine of the AGI Evaluation Sandbox: runs plans of models x
 benchmarks against OpenAI-compatible, Anthropic and Ollama endpoints or the
 built-in simulated endpoint, scores the answers with 95 % confidence
 intervals, measures latency percentiles, time to first token, inter-token
 latency, throughput and errors by class, and keeps every request in a local
 SQLite results store. It compares runs with paired significance tests,
 checks thresholds for CI (exit status 3) and writes HTML, PDF, CSV, JSON,
 Markdown, JUnit and Prometheus reports. No display is needed.")

set(CPACK_DEBIAN_GUI_PACKAGE_NAME evalsandbox)
set(CPACK_DEBIAN_GUI_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_GUI_PACKAGE_DEPENDS
  "evalsandbox-cli (= ${PROJECT_VERSION}), qt6-qpa-plugins, fonts-dejavu-core | fonts-liberation2")
set(CPACK_DEBIAN_GUI_PACKAGE_RECOMMENDS "gnome-keyring")
set(CPACK_COMPONENT_GUI_DESCRIPTION
  "LLM endpoint evaluation and load-testing workbench
 The desktop workbench of the AGI Evaluation Sandbox, for engineers who must
 decide which model or deployment is good enough, fast enough and cheap
 enough. Configure endpoints and benchmarks, run evaluations on a pool of
 worker threads, and watch latency percentiles, time to first token,
 throughput, error rates and scores live. Every sample can be browsed with
 its prompt, response, timings and attempts; runs are compared side by side
 with real statistics and exported as reports. API keys stay in the system
 keychain. The headless engine comes from the evalsandbox-cli package.")

include(CPack)

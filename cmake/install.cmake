# Installation and the Debian package.
#
# `cmake --install build --prefix P` puts the binary in P/bin, the man page in
# P/share/man/man1, the default rules and their JSON Schema in P/share/my2pg
# (the binary has the defaults compiled in: these are to read and start from)
# and the docs in P/share/doc/my2pg. `cpack -G DEB` (in build/) makes a .deb
# installing under /usr whose Depends are the Debian runtime packages of the
# libraries the binary links, found by dpkg-shlibdeps.
include(GNUInstallDirs)

install(TARGETS my2pg RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES rules/defaults.json rules/rules.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/my2pg)
install(FILES README.md docs/architecture.md docs/rules.md docs/report.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Debian ships man pages compressed (gzip -n: no name or time, reproducible).
find_program(GZIP gzip REQUIRED)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/my2pg.1.gz
                   COMMAND ${GZIP} -9nc ${PROJECT_SOURCE_DIR}/docs/my2pg.1 > ${CMAKE_BINARY_DIR}/my2pg.1.gz
                   DEPENDS ${PROJECT_SOURCE_DIR}/docs/my2pg.1)
add_custom_target(man_page ALL DEPENDS ${CMAKE_BINARY_DIR}/my2pg.1.gz)
install(FILES ${CMAKE_BINARY_DIR}/my2pg.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_PACKAGE_NAME my2pg)
set(CPACK_PACKAGE_VENDOR "my2pg")
set(CPACK_PACKAGE_CONTACT "my2pg maintainers <my2pg@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "migrate MySQL/MariaDB databases to PostgreSQL, reshaped by mapping rules")
set(CPACK_PACKAGE_DESCRIPTION
    "my2pg migrates fleets of MySQL/MariaDB databases into PostgreSQL, reshaping them with JSON mapping rules; every row is loaded or rejected with its reason, every changed value counted, and the run rendered as an HTML report.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# date-tz reads the system's time zone database (Debian builds it with
# USE_SYSTEM_TZ_DB), which no shared library dependency brings.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata")
include(CPack)

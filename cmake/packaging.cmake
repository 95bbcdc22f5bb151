# packaging.cmake -- what `cmake --install` puts on a system, and the Debian
# package made from it by `cpack -G DEB`.
#
# Programs, plugins, the plugin header, its pkg-config file and the manual
# pages follow CMAKE_INSTALL_PREFIX (GNUInstallDirs). The configuration,
# state and spool folders do not: releved.service names them
# (ConfigurationDirectory=, StateDirectory=, ReadWritePaths=) and releved's
# built-in lookup reads /etc/releve/releve.json, so they are the FHS paths
# whatever the prefix. A package is built with -DCMAKE_INSTALL_PREFIX=/usr,
# which is what the paths compiled into the binaries then say.

set(RELEVE_CONF_DIR /etc/releve)
set(RELEVE_STATE_DIR /var/lib/releve)
set(RELEVE_SPOOL_DIR /var/spool/releve)
set(RELEVE_PLUGIN_FULL_DIR "${CMAKE_INSTALL_FULL_LIBDIR}/releve/plugins")

# systemd's own folders when its pkg-config file says where they are, else
# the ones systemd searches under the prefix.
macro(releve_systemd_dir var pc_variable sub doc)
  pkg_get_variable(releve_dir_default systemd ${pc_variable})
  if(NOT releve_dir_default)
    set(releve_dir_default "${CMAKE_INSTALL_PREFIX}/lib/${sub}")
  endif()
  set(${var} "${releve_dir_default}" CACHE PATH "${doc}")
endmacro()
releve_systemd_dir(RELEVE_SYSTEMD_UNIT_DIR systemdsystemunitdir systemd/system "Where releved.service goes")
releve_systemd_dir(RELEVE_SYSUSERS_DIR sysusersdir sysusers.d "Where sysusers.d/releve.conf goes")
releve_systemd_dir(RELEVE_TMPFILES_DIR tmpfilesdir tmpfiles.d "Where tmpfiles.d/releve.conf goes")

set(pkg_dir "${CMAKE_BINARY_DIR}/packaging")
file(MAKE_DIRECTORY "${pkg_dir}")

# The unit names /usr/bin/releved, the Debian package's path; another prefix
# gets its own copy.
file(READ "${PROJECT_SOURCE_DIR}/systemd/releved.service" unit)
string(REPLACE "/usr/bin/releved" "${CMAKE_INSTALL_FULL_BINDIR}/releved" unit "${unit}")
file(CONFIGURE OUTPUT "${pkg_dir}/releved.service" CONTENT "${unit}" @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  "${PROJECT_SOURCE_DIR}/systemd/releved.service")

# The installed configuration: the built-in default with system paths.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_custom_command(OUTPUT "${pkg_dir}/releve.json"
  COMMAND Python3::Interpreter "${PROJECT_SOURCE_DIR}/cmake/installed_config.py"
          "${PROJECT_SOURCE_DIR}/conf/releve.json" "${pkg_dir}/releve.json"
          "${RELEVE_CONF_DIR}" "${RELEVE_STATE_DIR}" "${RELEVE_SPOOL_DIR}"
          "${RELEVE_PLUGIN_FULL_DIR}"
  DEPENDS "${PROJECT_SOURCE_DIR}/conf/releve.json" "${PROJECT_SOURCE_DIR}/cmake/installed_config.py"
  COMMENT "Writing the installed releve.json")

# Manual pages, compressed as Debian wants them (-n: reproducible).
set(man_pages releve.1 releve-plugin.3 releve.json.5 releved.8)
set(man_outputs "")
foreach(page IN LISTS man_pages)
  add_custom_command(OUTPUT "${pkg_dir}/${page}.gz"
    COMMAND gzip -9nc "${PROJECT_SOURCE_DIR}/man/${page}" > "${pkg_dir}/${page}.gz"
    DEPENDS "${PROJECT_SOURCE_DIR}/man/${page}"
    COMMENT "Compressing ${page}")
  list(APPEND man_outputs "${pkg_dir}/${page}.gz")
endforeach()
add_custom_target(releve-install-files ALL DEPENDS "${pkg_dir}/releve.json" ${man_outputs})

file(STRINGS "${PROJECT_SOURCE_DIR}/daemon/include/releve/plugin.h" abi_line
     REGEX "^#define RELEVE_PLUGIN_ABI_MAJOR [0-9]+$")
string(REGEX REPLACE ".* ([0-9]+)$" "\\1" RELEVE_PLUGIN_ABI_MAJOR "${abi_line}")
# The .pc finds its prefix from where it is installed (${pcfiledir}), so
# that `cmake --install --prefix DIR` or DESTDIR staging stays true.
file(RELATIVE_PATH RELEVE_PC_TO_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig"
     "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" RELEVE_PC_TO_PREFIX "${RELEVE_PC_TO_PREFIX}")
file(RELATIVE_PATH RELEVE_PC_INCLUDEDIR "${CMAKE_INSTALL_PREFIX}" "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
file(RELATIVE_PATH RELEVE_PC_PLUGINDIR "${CMAKE_INSTALL_PREFIX}" "${RELEVE_PLUGIN_FULL_DIR}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/releve-plugin.pc.in" "${pkg_dir}/releve-plugin.pc" @ONLY)

install(FILES "${pkg_dir}/releve-plugin.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
install(DIRECTORY DESTINATION "${RELEVE_PLUGIN_INSTALL_DIR}")
install(FILES "${pkg_dir}/releved.service" DESTINATION "${RELEVE_SYSTEMD_UNIT_DIR}")
install(FILES "${PROJECT_SOURCE_DIR}/systemd/releve.sysusers.conf"
        DESTINATION "${RELEVE_SYSUSERS_DIR}" RENAME releve.conf)
install(FILES "${PROJECT_SOURCE_DIR}/systemd/releve.tmpfiles.conf"
        DESTINATION "${RELEVE_TMPFILES_DIR}" RENAME releve.conf)
install(FILES "${pkg_dir}/releve.json" "${PROJECT_SOURCE_DIR}/conf/referentiel.json"
        DESTINATION "${RELEVE_CONF_DIR}")
# The geography lists the installed releve.json names (each editable there,
# and the folder where an admin puts the 2024 list: conf/geography/README.md).
set(RELEVE_GEOGRAPHY_FILES qpv_2015_paris.csv arrondissements_paris.csv)
foreach(f IN LISTS RELEVE_GEOGRAPHY_FILES)
  install(FILES "${PROJECT_SOURCE_DIR}/conf/geography/${f}" DESTINATION "${RELEVE_CONF_DIR}/geography")
endforeach()
install(FILES "${PROJECT_SOURCE_DIR}/conf/geography/README.md" DESTINATION "${CMAKE_INSTALL_DOCDIR}"
        RENAME GEOGRAPHY.md)
foreach(page IN LISTS man_pages)
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section "${page}")
  install(FILES "${pkg_dir}/${page}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man${section}")
endforeach()
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/conf/REFERENTIEL.md"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/spool/README.md" DESTINATION "${CMAKE_INSTALL_DOCDIR}"
        RENAME SPOOL.md)
install(FILES "${PROJECT_SOURCE_DIR}/examples/plugin-minimal/minimal.c"
              "${PROJECT_SOURCE_DIR}/examples/plugin-minimal/Makefile"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}/examples/plugin-minimal")

# ---- the Debian package ----------------------------------------------------
# The package's paths are those compiled in: build it from a tree configured
# with -DCMAKE_INSTALL_PREFIX=/usr (tests/package/run.sh does).
foreach(script postinst prerm postrm)
  configure_file("${PROJECT_SOURCE_DIR}/cmake/debian/${script}.in" "${pkg_dir}/debian/${script}" @ONLY)
endforeach()
file(WRITE "${pkg_dir}/debian/conffiles"
     "${RELEVE_CONF_DIR}/releve.json\n${RELEVE_CONF_DIR}/referentiel.json\n"
     "${RELEVE_CONF_DIR}/geography/qpv_2015_paris.csv\n"
     "${RELEVE_CONF_DIR}/geography/arrondissements_paris.csv\n")

set(CPACK_PACKAGE_NAME releve)
set(CPACK_PACKAGE_VENDOR "Ville de Paris")
set(CPACK_PACKAGE_CONTACT "relevé maintainers <releve@paris.example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "collects the yearly figures of an evaluation référentiel from partners")
set(CPACK_PACKAGE_DESCRIPTION [=[
releved receives partners' files (spool folders over SFTP, scheduled pulls),
checks every figure against the référentiel, keeps every value with its
provenance in SQLite and reminds partners of missing figures. releve is the
administrator's command line. The package ships the partner plugins, the
plugin header with its pkg-config file, and a hardened systemd unit.]=])
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# systemd-sysusers and systemd-tmpfiles run from postinst; the rest comes
# from dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "openssh-server")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${pkg_dir}/debian/postinst;${pkg_dir}/debian/prerm;${pkg_dir}/debian/postrm;${pkg_dir}/debian/conffiles")
include(CPack)

# The example plugin, built with the project's warnings and loaded by the
# CLI in every test run, so that it keeps up with the ABI.
if(RELEVE_TESTS)
  set(example_plugin_dir "${CMAKE_BINARY_DIR}/example-plugins")
  add_library(example-plugin-minimal MODULE "${PROJECT_SOURCE_DIR}/examples/plugin-minimal/minimal.c")
  target_include_directories(example-plugin-minimal PRIVATE "${PROJECT_SOURCE_DIR}/daemon/include")
  set_target_properties(example-plugin-minimal PROPERTIES
    PREFIX "" OUTPUT_NAME minimal
    C_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY "${example_plugin_dir}")
  add_test(NAME package_example_plugin COMMAND bash "${PROJECT_SOURCE_DIR}/tests/package/example_plugin.sh")
  set_tests_properties(package_example_plugin PROPERTIES TIMEOUT 60 ENVIRONMENT
    "RELEVE=$<TARGET_FILE:releve>;EXAMPLE_PLUGINS=${example_plugin_dir}")
endif()

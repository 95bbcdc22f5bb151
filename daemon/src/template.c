#include "template.h"

#include <errno.h>
#include <string.h>

#include "period.h"
#include "util.h"

int releve_template_write(const releve_config *cfg, const releve_actor *actor, int year,
                          char **out) {
  releve_buf b = RELEVE_BUF_INIT;
  size_t i;

  releve_buf_adds(&b, "\xef\xbb\xbf" RELEVE_TEMPLATE_HEADER "\r\n");
  for (i = 0; i < cfg->ref.n_indicators; i++) {
    const releve_indicator *ind = &cfg->ref.indicators[i];
    const char *const *scope;
    releve_period p = releve_period_for(ind->period, year);
    char period[16];
    if (strcmp(ind->actor, actor->id) != 0)
      continue;
    releve_period_format(&p, period, sizeof period);
    for (scope = actor->scopes; *scope; scope++) {
      releve_buf_addf(&b, "%s;", ind->id);
      releve_buf_add_csv(&b, ind->label);
      releve_buf_addf(&b, ";%s;%s;;;;\r\n", period, *scope);
    }
  }
  *out = releve_buf_steal(&b);
  return *out ? 0 : -ENOMEM;
}

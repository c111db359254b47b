/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VIGIL_VRRP_INSTANCE_H
#define VIGIL_VRRP_INSTANCE_H
#endif
